import { Client } from './harness/http';
import { startEmbeddedSystem, type System } from './harness/system';

/** Behind a load balancer the sender's address comes from X-Forwarded-For, from trusted proxies only. */
describe('the remote address scripts see', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['trusts X-Forwarded-For from a configured proxy', { TRUSTED_PROXIES: '127.0.0.1' }, '203.0.113.9'],
    ['ignores X-Forwarded-For from anyone else', {}, '127.0.0.1'],
  ];

  it.each(cases)('%s', async (_name, env, expected) => {
    const system: System = await startEmbeddedSystem(env);
    try {
      const client = new Client(system);
      const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
      await client.fn({
        name: 'Who',
        providerId: provider.id,
        uri: 'who',
        script: 'return [FLX_REMOTE_ADDR, FLX_REMOTE_HOST]',
      });

      const res = await client.webhook('who', { sync: true, headers: { 'x-forwarded-for': '203.0.113.9' } });

      expect(res.status).toBe(200);
      expect(res.body.executions[0].result).toEqual([expected, expected]);
      expect((await client.settled(res.body.messageId)).remoteAddr).toBe(expected);
    } finally {
      await system.stop();
    }
  });
});
