import { runChaos } from '../bench/chaos/main';
import { describeIntegration } from './harness/integration';
import { requireEnv } from './harness/system';

/** `npm run chaos`, CI-sized: each fault once, a few hundred webhooks. */
describeIntegration('chaos, distributed: services, the broker and PostgreSQL fail under a steady stream', () => {
  it('loses nothing acknowledged, runs nothing twice, and refuses only while PostgreSQL is cut', async () => {
    const figures = await runChaos({
      mode: 'distributed',
      rate: 10,
      phaseMs: 3_000,
      outageMs: 8_000,
      databaseUrl: requireEnv('HOOKLINE_IT_ADMIN_DATABASE_URL'),
      kafkaPort: Number(process.env.HOOKLINE_CHAOS_KAFKA_PORT ?? 19692),
      drainTimeoutMs: 240_000,
    });

    expect(figures.acknowledged).toBeGreaterThan(100);
    expect(figures).toMatchObject({ missing: 0, stuck: 0, duplicates: 0, refusedOutsideAllowed: 0 });
    expect(figures.statuses).toEqual({ SUCCESS: figures.acknowledged });
  }, 600_000);
});
