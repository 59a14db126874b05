import { execFileSync } from 'node:child_process';
import { Client } from 'pg';

/**
 * Provides Kafka and PostgreSQL to the integration project: from KAFKA_BROKERS and DATABASE_URL
 * when set, else from testcontainers where a Docker engine answers. Without either the suite is
 * skipped loudly — and under CI=true that is a failure. Each run gets a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  let brokers = process.env.KAFKA_BROKERS;
  let databaseUrl = process.env.DATABASE_URL;
  if (!brokers || !databaseUrl) {
    if (dockerAnswers()) {
      ({ brokers, databaseUrl } = await startContainers());
    } else {
      const reason =
        'no KAFKA_BROKERS/DATABASE_URL and no Docker engine: start them (bash scripts/kafka/kafka.sh start; ' +
        'PostgreSQL on 127.0.0.1:5432) and export both variables';
      if (process.env.CI === 'true') throw new Error(`integration tests cannot run under CI: ${reason}`);
      process.env.HOOKLINE_INTEGRATION_SKIP = reason;
      console.warn(`\n${'!'.repeat(100)}\n!! INTEGRATION TESTS SKIPPED: ${reason}\n${'!'.repeat(100)}\n`);
      return;
    }
  }
  const name = `hookline_it_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  process.env.HOOKLINE_IT_DATABASE_URL = url.toString();
  process.env.HOOKLINE_IT_ADMIN_DATABASE_URL = databaseUrl;
  process.env.HOOKLINE_IT_DATABASE = name;
  process.env.HOOKLINE_IT_KAFKA_BROKERS = brokers;
}

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

async function startContainers(): Promise<{ brokers: string; databaseUrl: string }> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const [kafka, postgres] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start(),
    new PostgreSqlContainer('postgres:15-alpine').start(),
  ]);
  (globalThis as Record<string, unknown>).__HOOKLINE_CONTAINERS__ = [kafka, postgres];
  return {
    brokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    databaseUrl: postgres.getConnectionUri(),
  };
}
