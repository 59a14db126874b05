import { DRAINED, ReplyRegistry } from './reply-registry';

const reply = (correlationId: string) => ({
  correlationId,
  messageId: correlationId,
  run: 0,
  status: 'SUCCESS' as const,
  executions: [],
  response: null,
});

describe('ReplyRegistry', () => {
  it('hands each reply to the request waiting for it and ignores the others', async () => {
    const registry = new ReplyRegistry();
    const waiting = registry.wait('a', 1000);

    registry.deliver(reply('someone-else'));
    registry.deliver(reply('a'));

    expect(await waiting).toMatchObject({ correlationId: 'a' });
    expect(registry.size).toBe(0);
  });

  it('answers null after the timeout and forgets the request', async () => {
    const registry = new ReplyRegistry();
    expect(await registry.wait('late', 10)).toBeNull();
    expect(registry.size).toBe(0);
  });

  it('answers every waiting request DRAINED at shutdown', async () => {
    const registry = new ReplyRegistry();
    const waiting = [registry.wait('a', 60_000), registry.wait('b', 60_000)];

    expect(registry.drain()).toBe(2);

    expect(await Promise.all(waiting)).toEqual([DRAINED, DRAINED]);
    expect(registry.size).toBe(0);
  });
});
