import { runChaos } from '../bench/chaos/main';

/** `npm run chaos -- --mode embedded`, CI-sized: the single process SIGKILLed twice under load. */
describe('chaos, embedded: the process is SIGKILLed and restarted under a steady stream', () => {
  it('processes every acknowledged message exactly once', async () => {
    const figures = await runChaos({
      mode: 'embedded',
      rate: 10,
      phaseMs: 3_000,
      outageMs: 0,
      databaseUrl: '',
      kafkaPort: 0,
      drainTimeoutMs: 120_000,
    });

    expect(figures.acknowledged).toBeGreaterThan(50);
    expect(figures).toMatchObject({ missing: 0, stuck: 0, duplicates: 0, refusedOutsideAllowed: 0 });
    expect(figures.statuses).toEqual({ SUCCESS: figures.acknowledged });
  }, 300_000);
});
