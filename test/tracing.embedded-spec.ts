import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { loadConfig } from '@hookline/config';
import { eventually } from '@hookline/testing';
import { startTracing, stopTracing } from '@hookline/tracing';
import { Client } from './harness/http';
import { startEmbeddedSystem, type System } from './harness/system';
import { ancestry, expectConnected, fromReadable, spanNames, traceOfMessage, type SpanRecord } from './harness/traces';

/**
 * OpenTelemetry in the embedded process (one process, in-process bus): one connected trace per
 * webhook, from the HTTP request through store, publish, match and every execution, the trace
 * context carried in the records' headers as over Kafka.
 */
describe('tracing, embedded', () => {
  const exporter = new InMemorySpanExporter();
  let system: System;
  let client: Client;
  let fnIds: string[];
  let providerId: string;

  beforeAll(async () => {
    // Before the process starts, as `startApp` would with OTEL_TRACES_EXPORTER set.
    startTracing(loadConfig({}).tracing, 'embedded', { exporter });
    system = await startEmbeddedSystem();
    client = new Client(system);
    const provider = await client.provider({ name: 'Traced', matchScript: 'return true' });
    providerId = provider.id;
    fnIds = [
      (await client.fn({ name: 'One', providerId: provider.id, uri: 'traced', script: 'return 1' })).id,
      (await client.fn({ name: 'Two', providerId: provider.id, uri: 'traced', script: 'return 2' })).id,
    ];
  });
  afterAll(async () => {
    await system?.stop();
    await stopTracing();
  });

  const spans = (): SpanRecord[] => fromReadable(exporter.getFinishedSpans());
  /**
   * Waits until both functions' spans of `messageId` (and run) have ended: under an executor's
   * `hookline.jobs.v1 process`, or the matcher's `hookline.sync_job` for a sync run.
   */
  const executed = (messageId: string, run = 0) =>
    eventually(
      spans,
      (all) => {
        const runners = new Set(
          all
            .filter(
              (s) =>
                (s.name === 'hookline.jobs.v1 process' || s.name === 'hookline.sync_job') &&
                s.attributes['hookline.message.id'] === messageId &&
                s.attributes['hookline.message.run'] === run,
            )
            .map((s) => s.spanId),
        );
        return all.filter((s) => s.name === 'hookline.function' && runners.has(s.parentSpanId!)).length === 2;
      },
      { what: `both executions of ${messageId} traced` },
    );

  it('follows a sync webhook from the request through every execution (run by the matcher) and the reply, in one trace', async () => {
    const res = await client.webhook('traced', { body: '{}', sync: true });
    expect(res.status).toBe(200);
    const messageId = res.body.messageId;
    await executed(messageId);
    const trace = await eventually(
      () => traceOfMessage(spans(), messageId),
      (t) => t.some((s) => s.name === 'hookline.replies.v1 process'),
      { what: 'the reply consumed' },
    );

    const root = expectConnected(trace);
    expect(root).toMatchObject({
      name: 'POST /flexdeploy/webhooks/v1/*',
      service: 'hookline-embedded',
      attributes: expect.objectContaining({
        'hookline.message.id': messageId,
        'http.response.status_code': 200,
        'http.route': '/flexdeploy/webhooks/v1/*',
      }),
    });
    expect(spanNames(trace)).toEqual(
      expect.arrayContaining([
        'hookline.store',
        'hookline.messages.received.v1 publish',
        'hookline.messages.received.v1 process',
        'hookline.match_script',
        'hookline.jobs.v1 publish',
        'hookline.sync_job',
        'hookline.function',
        'hookline.executions.v1 publish',
        'hookline.replies.v1 publish',
        'hookline.replies.v1 process',
      ]),
    );
    const functions = trace.filter((s) => s.name === 'hookline.function');
    expect(functions.map((s) => s.attributes['hookline.function.id']).sort()).toEqual([...fnIds].sort());
    for (const fn of functions) {
      expect(fn.attributes).toMatchObject({ 'hookline.message.id': messageId, 'hookline.status': 'SUCCESS' });
      expect(ancestry(trace, fn)).toEqual([
        'hookline.function',
        'hookline.sync_job',
        'hookline.messages.received.v1 process',
        'hookline.messages.received.v1 publish',
        'POST /flexdeploy/webhooks/v1/*',
      ]);
    }
    const match = trace.find((s) => s.name === 'hookline.messages.received.v1 process')!;
    expect(match.attributes).toMatchObject({
      'hookline.message.id': messageId,
      'hookline.provider.id': expect.any(String),
      'messaging.consumer.group.name': 'hookline-matcher',
    });
  });

  it('gives every async webhook a trace of its own', async () => {
    const [a, b] = await Promise.all([
      client.webhook('traced', { body: '1' }),
      client.webhook('traced', { body: '2' }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    await executed(a.body.messageId);
    await executed(b.body.messageId);
    const traceA = traceOfMessage(spans(), a.body.messageId);
    const traceB = traceOfMessage(spans(), b.body.messageId);
    expect(traceA[0].traceId).not.toBe(traceB[0].traceId);
    expect(expectConnected(traceA).name).toBe('POST /flexdeploy/webhooks/v1/*');
    expect(expectConnected(traceB).name).toBe('POST /flexdeploy/webhooks/v1/*');
    // Neither trace holds the other's message.
    expect(traceA.filter((s) => s.attributes['hookline.message.id'] === b.body.messageId)).toEqual([]);
    expect(traceA.filter((s) => s.name === 'hookline.function')).toHaveLength(2);
    // An async run's functions are the executors' (a sync run's, the matcher's: above).
    for (const fn of traceA.filter((s) => s.name === 'hookline.function')) {
      expect(ancestry(traceA, fn).slice(0, 3)).toEqual([
        'hookline.function',
        'hookline.jobs.v1 process',
        'hookline.jobs.v1 publish',
      ]);
    }
  });

  it('starts a new trace for a resubmission, linked to the request that asked for it', async () => {
    const first = await client.webhook('traced', { body: '{}', sync: true });
    const messageId = first.body.messageId;
    await executed(messageId);
    const res = await client.admin('POST', `/messages/${messageId}/resubmit`);
    expect(res.status).toBe(202);
    expect(res.body.run).toBe(1);
    await executed(messageId, 1);

    const resubmit = spans().find(
      (s) => s.name === 'hookline.resubmit' && s.attributes['hookline.message.id'] === messageId,
    )!;
    expect(resubmit.attributes['hookline.message.run']).toBe(1);
    const trace = spans().filter((s) => s.traceId === resubmit.traceId);
    expect(expectConnected(trace)).toEqual(resubmit);
    expect(trace.filter((s) => s.name === 'hookline.function')).toHaveLength(2);
    const original = traceOfMessage(
      spans().filter((s) => s.traceId !== resubmit.traceId),
      messageId,
    );
    expect(original[0].traceId).not.toBe(resubmit.traceId);
    // The admin request is a trace of its own that the resubmission links to.
    const request = spans().find((s) => s.name === 'POST /api/v1/messages/:id/resubmit')!;
    expect(resubmit.links).toEqual([`${request.traceId}:${request.spanId}`]);
  });

  it('starts a new trace for each function retry the retry relay publishes', async () => {
    const flaky = await client.fn({
      name: 'Flaky',
      providerId,
      uri: 'flaky',
      script: 'throw new Error("down")',
      retry: { maxAttempts: 2, backoffMs: 100 },
    });
    const res = await client.webhook('flaky', { body: '{}' });
    expect(res.status).toBe(202);
    const messageId = res.body.messageId;
    const relayed = await eventually(
      () => spans().find((s) => s.name === 'hookline.retry.relay' && s.attributes['hookline.message.id'] === messageId),
      (span) => span !== undefined,
      { what: 'the retry relayed' },
    );
    const retry = await eventually(
      () => spans().filter((s) => s.traceId === relayed!.traceId),
      (trace) => trace.some((s) => s.name === 'hookline.function'),
      { what: "the retry's execution traced" },
    );
    expect(expectConnected(retry)).toEqual(relayed);
    expect(relayed!.attributes['hookline.function.id']).toBe(flaky.id);
    const tries = spans().filter(
      (s) => s.name === 'hookline.function' && s.attributes['hookline.message.id'] === messageId,
    );
    expect(tries.map((s) => [s.attributes['hookline.execution.try'], s.attributes['hookline.status']])).toEqual([
      [1, 'FAILED'],
      [2, 'FAILED'],
    ]);
    // The first try belongs to the request's trace, the second to the relay's.
    expect(tries[0].traceId).not.toBe(relayed!.traceId);
    expect(tries[1].traceId).toBe(relayed!.traceId);
  });
});
