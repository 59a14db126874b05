import 'reflect-metadata';
import { createLogger, loadConfig } from '@hookline/config';
import { Topics } from '@hookline/contracts';
import { createBus } from '@hookline/transport';

/** `npm run topics`: creates Hookline's topics with KAFKA_TOPIC_PARTITIONS partitions, then exits. */
async function main() {
  const config = loadConfig();
  if (config.kafka.brokers.length === 0) throw new Error('set KAFKA_BROKERS to provision topics');
  const bus = createBus(config);
  await bus.provision(Object.values(Topics));
  await bus.close();
  createLogger('topics').info({ topics: Object.values(Topics), partitions: config.kafka.partitions }, 'topics ready');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
