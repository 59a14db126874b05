import { Client, request } from './harness/http';
import { describeIntegration } from './harness/integration';
import { KafkaBroker } from './harness/kafka-broker';
import { requireEnv, resetSystem, startDistributedSystem, type System } from './harness/system';
import { TcpProxy } from './harness/tcp-proxy';

const eventually = async (check: () => Promise<boolean>, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

describeIntegration('outages at the ingress: a 2xx exactly when the message is stored', () => {
  describe('PostgreSQL unreachable', () => {
    const database = new URL(requireEnvLazy('HOOKLINE_IT_DATABASE_URL'));
    const proxy = new TcpProxy(database.hostname, Number(database.port || 5432));
    let system: System;
    let client: Client;

    beforeAll(async () => {
      await proxy.start();
      const throughProxy = new URL(database);
      throughProxy.port = String(proxy.port);
      system = await startDistributedSystem({}, { ingress: { DATABASE_URL: throughProxy.toString() } });
      client = new Client(system);
      await resetSystem(system);
    });
    afterAll(async () => {
      await system?.stop();
      await proxy.cut();
    });

    it('answers 503 and stores nothing while the database is down, and 202 once it is back', async () => {
      const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
      await client.fn({ name: 'Ok', providerId: provider.id, uri: 'db', script: 'return 1' });

      await proxy.cut();
      const down = await client.webhook('db', { body: '{"during":"outage"}' });
      const ready = await request(`${system.ingressUrls[0]}/health/ready`);
      await proxy.restore();

      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({
        error: 'store_unavailable',
        message: expect.stringContaining('send it again'),
      });
      expect(ready.status).toBe(503);
      const stored = await system.db.query(`SELECT count(*)::int AS n FROM messages`);
      expect(stored[0].n).toBe(0);

      await eventually(
        async () => (await client.webhook('db', { body: '{}' })).status === 202,
        15_000,
        'a 202 after the database came back',
      );
    });
  });

  describe('Kafka unreachable', () => {
    const broker = new KafkaBroker(Number(process.env.HOOKLINE_OUTAGE_KAFKA_PORT ?? 19392));
    let system: System;
    let client: Client;

    beforeAll(async () => {
      await broker.start();
      system = await startDistributedSystem({
        KAFKA_BROKERS: broker.brokers,
        OUTBOX_INTERVAL_MS: '300',
        OUTBOX_MIN_AGE_MS: '300',
      });
      client = new Client(system);
      await resetSystem(system);
      // A broker of its own starting (up to KAFKA_START_TIMEOUT) and services joining it (up to 120 s).
    }, 300_000);
    afterAll(async () => {
      await system?.stop();
      await broker.destroy();
    }, 120_000);

    it('answers 202 while the broker is down, without waiting on it, and processes the message once it is back', async () => {
      const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
      await client.fn({ name: 'Ok', providerId: provider.id, uri: 'k', script: 'return PAYLOAD.n' });
      const before = await client.webhook('k', { sync: true, body: '{"n":1}' });
      expect(before.status).toBe(200);

      await broker.stop();
      const down = await client.webhook('k', { body: '{"n":2}' });
      const ready = await request(`${system.ingressUrls[0]}/health/ready`);

      expect(down.status).toBe(202);
      expect(down.body).toEqual({ messageId: expect.any(String) });
      expect((await client.message(down.body.messageId)).body.status).toBe('RECEIVED');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.database).toBe('up');
      expect(ready.body.checks.outbox.count).toBeGreaterThanOrEqual(1);
      // Once its publication failed the ingress reports the broker down (kafkajs's producer does not
      // notice by itself), which also keeps consumers from dead-lettering records during the outage.
      const busCheck = async () => (await request(`${system.ingressUrls[0]}/health/ready`)).body.checks?.bus;
      await eventually(async () => (await busCheck()) === 'down', 30_000, 'readiness to report the bus down');

      await broker.start();
      const message = await client.settled(down.body.messageId, 90_000);
      expect(message.status).toBe('SUCCESS');
      expect(message.executions.map((e: any) => e.result)).toEqual([2]);
      await eventually(async () => (await busCheck()) === 'up', 30_000, 'readiness to report the bus up again');
    }, 180_000);
  });
});

/** Read when the suite runs, not when jest collects it (setup may have skipped the suite). */
function requireEnvLazy(name: string): string {
  return process.env.HOOKLINE_INTEGRATION_SKIP ? 'postgres://skipped:1/x' : requireEnv(name);
}
