/**
 * The topics are a public contract: other consumers read them. A breaking change to a payload gets
 * a new topic version (`.v2`), never an in-place edit.
 */
export const Topics = {
  /** One record per stored message (and per resubmission), key = messageId. */
  MessagesReceived: 'hookline.messages.received.v1',
  /** One record per function to run for a message, key = messageId. */
  Jobs: 'hookline.jobs.v1',
  /** One record per finished function execution, key = messageId. */
  ExecutionResults: 'hookline.executions.v1',
  /** The outcome of a sync request, key = messageId; every ingress replica reads all of it. */
  Replies: 'hookline.replies.v1',
  /** One record per record a consumer gave up on after its bounded redelivery, key = the source record's key. */
  DeadLetters: 'hookline.deadletter.v1',
  /** A script to run as a test, without side effects (admin API to executors), key = correlationId. */
  ScriptTests: 'hookline.script-tests.v1',
  /** The outcome of a script test, key = correlationId; every admin API replica reads all of it. */
  ScriptTestResults: 'hookline.script-test-results.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/** Consumer groups of Hookline's own services. Outside consumers use groups of their own. */
export const ConsumerGroups = {
  Matcher: 'hookline-matcher',
  Executor: 'hookline-executor',
  /** The executors, running script tests. */
  ScriptTester: 'hookline-script-tester',
} as const;

/** Record header naming the schema of the value, e.g. `hookline.jobs.v1`. */
export const SCHEMA_HEADER = 'hookline-schema';

/**
 * Record header of a `hookline.jobs.v1` record that names who runs it, when not an executor:
 * `matcher` for a job of a sync run, which the matcher that planned it runs in its own process
 * (one Kafka round trip less for the waiting caller). Executors leave such records alone; the
 * record is there for other consumers, and if the matcher fails to run the job it publishes it
 * again without the header.
 */
export const RUN_BY_HEADER = 'hookline-run-by';

/**
 * Record headers of W3C Trace Context, set when tracing is on: a consumer that continues the trace
 * reads them as it would `traceparent`/`tracestate` HTTP headers.
 */
export const TRACE_CONTEXT_HEADERS = ['traceparent', 'tracestate'] as const;
