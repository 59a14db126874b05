import { PATCHED_KAFKAJS_VERSION, patchKafkaJsRequestQueue } from './kafkajs-request-queue';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js');

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A queue of one broker connection, with requests that record when they were sent. */
function connection(maxInFlightRequests: number) {
  const queue = new RequestQueue({
    maxInFlightRequests,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:9092',
    logger: quiet,
  });
  const sent: number[] = [];
  const push = (correlationId: number) =>
    queue.push({
      entry: {
        correlationId,
        apiKey: 1,
        apiName: 'Fetch',
        apiVersion: 11,
        resolve: () => undefined,
        reject: () => undefined,
      },
      expectResponse: true,
      sendRequest: () => sent.push(correlationId),
    });
  const answer = (correlationId: number) => queue.fulfillRequest({ correlationId, payload: Buffer.alloc(0), size: 0 });
  return { queue, sent, push, answer };
}

describe('kafkajs request queue, patched', () => {
  beforeAll(() => expect(patchKafkaJsRequestQueue()).toBe(true));
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('patches the kafkajs this project installs (a new version needs its request queue looked at again)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require('kafkajs/package.json').version).toBe(PATCHED_KAFKAJS_VERSION);
  });

  it('arms no timer once a request is answered and none waits (kafkajs 2.2.4 re-armed one every 1 ms)', () => {
    const { queue, sent, push, answer } = connection(5);

    push(1);
    answer(1);
    queue.checkPendingRequests();

    expect(sent).toEqual([1]);
    expect(queue.throttleCheckTimeoutId).toBeNull();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('still sends a request that waited behind the in-flight limit, and then rests', () => {
    const { sent, push, answer } = connection(1);

    push(1);
    push(2);
    expect(sent).toEqual([1]);
    answer(1);
    expect(sent).toEqual([1, 2]);
    answer(2);
    // The check armed while request 2 waited runs once more, finds nothing, and arms nothing.
    jest.advanceTimersByTime(10);

    expect(jest.getTimerCount()).toBe(0);
  });

  it('sends what waited when the broker throttle ends, and then rests', () => {
    const { queue, sent, push } = connection(5);
    queue.throttledUntil = Date.now() + 50;

    push(1);
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(49);
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(1);

    expect(sent).toEqual([1]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('checks again every 10 ms while a request waits and nothing throttles it, as kafkajs does', () => {
    const { queue, sent, push } = connection(1);

    push(1);
    push(2);
    expect(jest.getTimerCount()).toBe(1);
    // The in-flight request is never answered here: the waiting one stays, and so does its check.
    jest.advanceTimersByTime(30);
    expect(sent).toEqual([1]);
    expect(queue.pending).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(1);
  });
});
