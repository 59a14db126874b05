import type { HostApi, ScriptInput } from '../sandbox.types';

/** A message as the matcher would hand it over; override what a test is about. */
export function scriptInput(overrides: Partial<ScriptInput> = {}): ScriptInput {
  return {
    messageId: 'msg-1',
    method: 'POST',
    uri: 'git/push',
    query: {},
    headers: { 'content-type': 'application/json' },
    remoteAddr: '203.0.113.7',
    body: Buffer.from('{}'),
    properties: [],
    ...overrides,
  };
}

/** A fake executor side: records what scripts publish and answers HTTP calls from a handler. */
export function recordingHost(
  respond: NonNullable<HostApi['httpRequest']> = async () => ({ status: 200, headers: {}, body: '' }),
) {
  const published: Array<{
    topic: string;
    value: unknown;
    options: { key?: string; headers?: Record<string, string> };
  }> = [];
  const requests: Array<Parameters<NonNullable<HostApi['httpRequest']>>[0]> = [];
  const host: HostApi = {
    publish: async (topic, value, options) => {
      published.push({ topic, value, options });
    },
    httpRequest: async (request) => {
      requests.push(request);
      return respond(request);
    },
  };
  return { host, published, requests };
}
