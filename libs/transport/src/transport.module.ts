import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Topics } from '@hookline/contracts';
import { createLogger, HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { BUS, type Bus } from './bus';
import { KafkaBus } from './kafka-bus';
import { MemoryBus } from './memory-bus';
import { TracedBus } from './traced-bus';
import { tracingEnabled } from '@hookline/tracing';

/** Kafka when KAFKA_BROKERS is set, else the in-process bus; carrying trace context when tracing is on. */
export function createBus(config: HooklineConfig): Bus {
  const logger = createLogger('transport', config.logLevel);
  const bus =
    config.kafka.brokers.length === 0
      ? new MemoryBus({ partitions: config.kafka.partitions, logger })
      : new KafkaBus({ ...config.kafka, logger });
  return tracingEnabled() ? new TracedBus(bus) : bus;
}

/**
 * Provides the Bus, with Hookline's topics already provisioned (`npm run topics` does the same
 * alone): consumers subscribe before the modules' init hooks run, and a bus refuses topics that do
 * not exist. Give it a bus already made to share one between apps in one process.
 */
@Global()
@Module({})
export class TransportModule implements OnApplicationShutdown {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  static forRoot(bus?: Bus) {
    return {
      module: TransportModule,
      providers: [
        {
          provide: BUS,
          useFactory: (config: HooklineConfig) => provisioned(bus ?? createBus(config)),
          inject: [HOOKLINE_CONFIG],
        },
      ],
      exports: [BUS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}

async function provisioned(bus: Bus): Promise<Bus> {
  await bus.provision(Object.values(Topics));
  return bus;
}
