import { decodeEvent, Topics, type ScriptTestRequestEvent, type ScriptTestResultEvent } from '@hookline/contracts';
import type { ProviderEntity } from '@hookline/persistence';
import type { ConfigCache } from '@hookline/pipeline';
import { ScriptSandbox } from '@hookline/sandbox';
import type { Bus, OutgoingRecord } from '@hookline/transport';
import { RunScriptTestUseCase } from './run-script-test.use-case';

const PROVIDER_ID = '01900000-0000-7000-8000-0000000000aa';

describe('RunScriptTestUseCase', () => {
  const sandbox = new ScriptSandbox({ timeoutMs: 2000 }, { maxIsolates: 1 });
  const published: Array<{ topic: string; record: OutgoingRecord }> = [];
  const bus = {
    publish: async (topic: string, records: OutgoingRecord[]) => {
      for (const record of records) published.push({ topic, record });
    },
  } as unknown as Bus;
  const provider = {
    id: PROVIDER_ID,
    properties: [{ name: 'TOKEN', value: 'hush', secret: true }],
  } as unknown as ProviderEntity;
  const config = {
    refresh: async () => ({ provider: (id: string) => (id === PROVIDER_ID ? provider : undefined) }),
  } as unknown as ConfigCache;
  const useCase = new RunScriptTestUseCase(config, sandbox, bus);

  const test = (fields: Partial<ScriptTestRequestEvent>): ScriptTestRequestEvent => ({
    correlationId: '01900000-0000-7000-8000-0000000000cc',
    kind: 'function',
    providerId: PROVIDER_ID,
    functionId: null,
    script: 'return 1',
    messageId: '01900000-0000-7000-8000-0000000000dd',
    request: {
      method: 'POST',
      uri: 'ci/done',
      query: {},
      headers: { 'content-type': 'application/json' },
      remoteAddr: '127.0.0.1',
      contentType: 'application/json',
      body: Buffer.from('{"build":42}').toString('base64'),
      receivedAt: new Date().toISOString(),
    },
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    ...fields,
  });
  const answers = () =>
    published.map(({ topic, record }) => ({
      topic,
      key: record.key,
      value: decodeEvent<ScriptTestResultEvent>(record.value),
    }));

  beforeEach(() => {
    published.length = 0;
  });

  afterAll(() => {
    sandbox.dispose();
  });

  it('answers what the script did, its side effects recorded and the secrets masked', async () => {
    await useCase.execute(
      test({
        script:
          "LOG.info('token ' + TOKEN);\nawait KAFKA.publish('webhooks.builds', PAYLOAD);\n" +
          "await HTTP.request({ method: 'POST', url: 'https://chat.example.com/hook', body: 'done' });\nreturn PAYLOAD.build;",
      }),
    );

    expect(answers()).toEqual([
      {
        topic: Topics.ScriptTestResults,
        key: '01900000-0000-7000-8000-0000000000cc',
        value: {
          correlationId: '01900000-0000-7000-8000-0000000000cc',
          failure: null,
          outcome: expect.objectContaining({ ok: true, result: 42, error: null }),
        },
      },
    ]);
    const outcome = answers()[0].value.outcome!;
    expect(outcome.logs[0]).toMatchObject({ level: 'INFO', text: 'token ****' });
    expect(outcome.effects).toEqual([
      { type: 'KAFKA.publish', topic: 'webhooks.builds', value: { build: 42 }, key: null },
      expect.objectContaining({ type: 'HTTP.request', method: 'POST', url: 'https://chat.example.com/hook' }),
    ]);
  });

  it('reports an error at its line', async () => {
    const { outcome } = await useCase.run(test({ kind: 'match', script: 'const a = 1;\nreturn PAYLOAD.x.y;' }));

    expect(outcome).toMatchObject({ ok: false, matched: false, error: { name: 'TypeError', line: 2 } });
  });

  it('answers not_found for a provider that is gone, and a syntax error with its position', async () => {
    expect(await useCase.run(test({ providerId: '01900000-0000-7000-8000-0000000000ee' }))).toEqual({
      outcome: null,
      failure: { error: 'not_found', message: "provider '01900000-0000-7000-8000-0000000000ee' not found" },
    });
    expect(await useCase.run(test({ script: 'return {;' }))).toMatchObject({
      outcome: null,
      failure: { error: 'script_syntax_error', line: 1 },
    });
  });

  it('skips a test nobody waits for any more, answering nothing', async () => {
    await useCase.execute(test({ expiresAt: new Date(Date.now() - 1).toISOString() }));

    expect(published).toEqual([]);
  });
});
