import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ConfigModule, loadConfig } from '@hookline/config';
import {
  decodeEvent,
  encodeEvent,
  Topics,
  type ScriptTestRequestEvent,
  type ScriptTestResultEvent,
} from '@hookline/contracts';
import { ConfigStore, MessageStore, PersistenceModule } from '@hookline/persistence';
import { BUS, TransportModule, type Bus } from '@hookline/transport';
import { AdminModule } from '../admin.module';
import { mountOpenApi } from '../openapi/openapi';

export const TEST_ADMIN_TOKEN = 'test-token';

/** A fresh `SECRETS_KEYS` entry (`keyId:base64`). */
export const newSecretsKey = (id = 'test'): string => `${id}:${randomBytes(32).toString('base64')}`;

/** For `beforeAll`: PGlite starts and migrates in a few seconds, more on a busy machine. */
export const START_TIMEOUT_MS = 120_000;

type InjectOptions = Exclude<Parameters<NestFastifyApplication['inject']>[0], string | undefined>;
type InjectResponse = Awaited<ReturnType<NestFastifyApplication['inject']>>;

export interface AdminTestApp {
  app: NestFastifyApplication;
  db: DataSource;
  bus: Bus;
  messages: MessageStore;
  config: ConfigStore;
  /** A request with the admin token (unless `headers.authorization` says otherwise). */
  request(options: InjectOptions): Promise<InjectResponse>;
  close(): Promise<void>;
}

/** What the stand-in executor answers every script test with (the real runs are tested in test/). */
export const STUB_SCRIPT_TEST_OUTCOME = {
  ok: true,
  result: 'stub',
  message: null,
  logs: [],
  error: null,
  effects: [],
  response: null,
  durationMs: 0,
};

/**
 * The admin API on Fastify over an embedded PGlite (real migrations) and the in-process bus, in a
 * fresh temporary data directory, with a fresh secrets key. Pass `adminToken: null` for an app
 * without ADMIN_TOKEN; `env` adds or overrides variables (`SECRETS_KEYS: ''` for no key);
 * `openApi: true` serves the OpenAPI document as the apps do. A stand-in executor answers script
 * tests with STUB_SCRIPT_TEST_OUTCOME unless `scriptTests: 'unanswered'`.
 */
export async function createAdminTestApp(
  options: {
    adminToken?: string | null;
    extraModules?: Type[];
    env?: Record<string, string>;
    openApi?: boolean;
    scriptTests?: 'answered' | 'unanswered';
  } = {},
): Promise<AdminTestApp> {
  // Services log at info; keep test output to what went wrong.
  process.env.LOG_LEVEL ??= 'warn';
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-admin-'));
  const adminToken = options.adminToken === undefined ? TEST_ADMIN_TOKEN : options.adminToken;
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(
        loadConfig({
          DATA_DIR: dataDir,
          SECRETS_KEYS: newSecretsKey(),
          ...(adminToken ? { ADMIN_TOKEN: adminToken } : {}),
          ...options.env,
        }),
      ),
      PersistenceModule.forRoot(),
      TransportModule.forRoot(),
      AdminModule,
      ...(options.extraModules ?? []),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: ['error'] });
  if (options.openApi) mountOpenApi(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const bus = app.get<Bus>(BUS);
  if (options.scriptTests !== 'unanswered') await answerScriptTests(bus);
  return {
    app,
    db: app.get(DataSource),
    bus,
    messages: app.get(MessageStore),
    config: app.get(ConfigStore),
    request: (request) => app.inject({ ...request, headers: withToken(request.headers, adminToken) }),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function answerScriptTests(bus: Bus): Promise<void> {
  await bus.subscribe(
    { topic: Topics.ScriptTests, groupId: 'admin-test-executor', fromBeginning: false, concurrency: 4 },
    async (record) => {
      const { correlationId } = decodeEvent<ScriptTestRequestEvent>(record.value);
      const answer: ScriptTestResultEvent = { correlationId, outcome: STUB_SCRIPT_TEST_OUTCOME, failure: null };
      await bus.publish(Topics.ScriptTestResults, [{ key: correlationId, value: encodeEvent(answer) }]);
    },
  );
}

/** The admin token unless the request sets `authorization` itself; `undefined` sends none. */
function withToken(headers: InjectOptions['headers'], adminToken: string | null): Record<string, string> {
  const merged: Record<string, unknown> = { authorization: `Bearer ${adminToken}`, ...headers };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as Record<
    string,
    string
  >;
}
