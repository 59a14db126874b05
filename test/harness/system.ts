import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig, type HooklineConfig } from '@hookline/config';
import { listeningPort } from '@hookline/hosting';
import { startAdminApi } from '../../apps/admin-api/src/admin-api.app';
import { startEmbedded } from '../../apps/embedded/src/embedded.app';
import { startExecutor } from '../../apps/executor/src/executor.app';
import { startIngress } from '../../apps/ingress/src/ingress.app';
import { startMatcher } from '../../apps/matcher/src/matcher.app';

export const ADMIN_TOKEN = 'behaviour-suite-token';

/** A running Hookline, however deployed, as its users reach it: over HTTP. */
export interface System {
  mode: 'embedded' | 'distributed';
  /** One URL per ingress replica (embedded: one). */
  ingressUrls: string[];
  adminUrl: string;
  /** Raw SQL on the system's own database, for resetting between tests. */
  db: DataSource;
  apps: INestApplication[];
  stop(): Promise<void>;
}

export type SystemOptions = Record<string, string>;

const quiet = { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ADMIN_TOKEN, PORT: '0', HOST: '127.0.0.1' };

const url = (app: INestApplication) => `http://127.0.0.1:${listeningPort(app)}`;

/** All of Hookline in this process on PGlite and the in-process bus: `npm start` as a test sees it. */
export async function startEmbeddedSystem(env: SystemOptions = {}): Promise<System> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-embedded-'));
  const config = loadConfig({ ...quiet, DATA_DIR: dataDir, ...env });
  const app = await startEmbedded(config);
  return {
    mode: 'embedded',
    ingressUrls: [url(app)],
    adminUrl: url(app),
    db: app.get(DataSource),
    apps: [app],
    stop: async () => {
      await app.close();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The distributed deployment on the real broker and database: two ingress replicas, a matcher,
 * two executors and the admin API, each a Nest application with its own connections.
 */
export async function startDistributedSystem(
  env: SystemOptions = {},
  perService: Partial<Record<'ingress' | 'matcher' | 'executor' | 'admin', SystemOptions>> = {},
): Promise<System> {
  const base = {
    ...quiet,
    DATABASE_URL: requireEnv('HOOKLINE_IT_DATABASE_URL'),
    KAFKA_BROKERS: requireEnv('HOOKLINE_IT_KAFKA_BROKERS'),
    KAFKA_TOPIC_PARTITIONS: '3',
    ...env,
  };
  const config = (name: string): HooklineConfig =>
    loadConfig({
      ...base,
      ...perService[name.split('-')[0] as keyof typeof perService],
      INSTANCE_ID: `${name}-${process.pid}`,
    });
  // The admin API first: it migrates the fresh database before the others connect.
  const admin = await startAdminApi(config('admin'));
  const [matcher, executorA, executorB, ingressA, ingressB] = await Promise.all([
    startMatcher(config('matcher')),
    startExecutor(config('executor-a')),
    startExecutor(config('executor-b')),
    startIngress(config('ingress-a')),
    startIngress(config('ingress-b')),
  ]);
  const apps = [ingressA, ingressB, matcher, executorA, executorB, admin];
  return {
    mode: 'distributed',
    ingressUrls: [url(ingressA), url(ingressB)],
    adminUrl: url(admin),
    db: admin.get(DataSource),
    apps,
    stop: async () => {
      for (const app of apps) await app.close();
    },
  };
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through the integration project's global setup`);
  return value;
}

/** Empties configuration and history, so each test starts from nothing. */
export async function resetSystem(system: System): Promise<void> {
  // The services may still be finishing the previous test's messages: TRUNCATE can then deadlock
  // with their updates (PostgreSQL picks it as the victim), so it is tried again.
  for (let attempt = 1; ; attempt++) {
    try {
      await system.db.query('TRUNCATE executions, messages, functions, providers');
      break;
    } catch (error) {
      if (attempt >= 5 || !/deadlock detected/.test(String((error as Error).message))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
  await system.db.query('UPDATE config_revision SET revision = revision + 1');
}
