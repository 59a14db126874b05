import type { ExecutionStatus, MessageStatus } from './statuses';

/** The HTTP request as received, carried with the message so consumers need no database read. */
export interface WebhookRequest {
  method: string;
  /** Everything after the base path, without the query string: `git/push`. */
  uri: string;
  query: Record<string, string | string[]>;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  remoteAddr: string;
  contentType: string | null;
  /** The pristine body, base64. */
  body: string;
  receivedAt: string;
}

/** Where the outcome of a sync request must go back to. */
export interface ReplyTo {
  /** Unique per waiting request; the ingress replica that holds it recognises it. */
  correlationId: string;
}

/** `hookline.messages.received.v1` */
export interface MessageReceivedEvent {
  messageId: string;
  /** 0 for the original delivery, n for the n-th resubmission. */
  run: number;
  /** When this run began: the arrival for run 0, the resubmission after. Configuration at least this new applies. */
  runStartedAt: string;
  request: WebhookRequest;
  replyTo: ReplyTo | null;
  resubmittedBy: string | null;
  /**
   * The configuration's revision when the message was stored (read by the statement that stored
   * it), when known: a consumer holding this revision or a newer one need not check for a newer.
   */
  configRevision?: number;
}

/** `hookline.jobs.v1` */
export interface JobEvent {
  executionId: string;
  messageId: string;
  run: number;
  providerId: string;
  functionId: string;
  runStartedAt: string;
  request: WebhookRequest;
  replyTo: ReplyTo | null;
  /** As on the message's `hookline.messages.received.v1` record, when known. */
  configRevision?: number;
}

/** What a sync caller and outside consumers see of one execution. */
export interface ExecutionSummary {
  executionId: string;
  functionId: string;
  functionName: string;
  status: ExecutionStatus;
  message: string | null;
  result: unknown;
  error: string | null;
  /** 1 for the function's first try in the run; a retry of its retry policy has the next number. */
  try: number;
}

/** `hookline.executions.v1` */
export interface ExecutionResultEvent extends ExecutionSummary {
  messageId: string;
  run: number;
  /** How many times an executor started this try (more than one after an executor died mid-run). */
  attempt: number;
  /** Set when this try failed and the function's retry policy tries again then (an ISO time). */
  retryAt: string | null;
  durationMs: number;
  startedAt: string;
  finishedAt: string;
}

/** A response shaped by a function script (`RESPONSE.status/body/header`). */
export interface ShapedResponse {
  status?: number;
  body?: unknown;
  headers: Record<string, string>;
}

/** `hookline.replies.v1` */
export interface ReplyEvent {
  correlationId: string;
  messageId: string;
  run: number;
  /** For a duplicate delivery: the status of the original's run, whose executions these are. */
  status: MessageStatus;
  executions: ExecutionSummary[];
  response: ShapedResponse | null;
  /** Set when `messageId` is a duplicate: the message whose outcome this is. */
  duplicateOf?: string;
  /** Why the run failed when no execution says it (it was dead-lettered before its functions ran). */
  message?: string;
}

/**
 * `hookline.deadletter.v1`: a record that a consumer group could not handle within its bounded
 * redelivery (`CONSUMER_MAX_ATTEMPTS` attempts), while the database and the broker answered.
 * The message or execution it concerns ends FAILED with `error` as the reason.
 */
export interface DeadLetterEvent {
  deadLetterId: string;
  /** The consumer group that gave up. */
  groupId: string;
  sourceTopic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The message the record concerns (Hookline's records are keyed by message id). */
  messageId: string | null;
  attempts: number;
  /** The last attempt's error. */
  error: string;
  failedAt: string;
  /** The source record's headers and value (base64), to inspect or publish again. */
  headers: Record<string, string>;
  value: string | null;
}

/**
 * `hookline.script-tests.v1`: a script an operator wants to try, to run once in the real sandbox
 * with the provider's real properties, its side effects recorded instead of performed. Key =
 * `correlationId`; the admin API sends it and waits for its `ScriptTestResultEvent`.
 */
export interface ScriptTestRequestEvent {
  correlationId: string;
  /** `match`: a provider's match script; `function`: a function script. */
  kind: 'match' | 'function';
  /** The provider whose properties the script sees. */
  providerId: string;
  /** The function tested, when `kind` is `function`. */
  functionId: string | null;
  script: string;
  /** The message the script sees as `MESSAGE_ID`: a stored one's, or one made up for the test. */
  messageId: string;
  request: WebhookRequest;
  /** Nobody waits for the outcome after this: an executor that reads the record later skips it. */
  expiresAt: string;
}

/** `hookline.script-test-results.v1`: what a script test did (`outcome`), or why it did not run (`failure`). */
export interface ScriptTestResultEvent {
  correlationId: string;
  outcome: ScriptTestOutcome | null;
  failure: ScriptTestFailure | null;
}

/** A script test's run: what a real run would have done, minus the side effects, which are listed. */
export interface ScriptTestOutcome {
  /** false: it threw, timed out or hit a limit. */
  ok: boolean;
  /** Match scripts: whether it returned exactly `true`. */
  matched?: boolean;
  result: unknown;
  message: string | null;
  /** The LOG lines; secret property values masked. */
  logs: Array<{ level: string; text: string; at: string }>;
  error: ScriptTestError | null;
  effects: ScriptTestEffect[];
  /** Function scripts: what `RESPONSE.*` shaped for a sync reply. */
  response: unknown;
  durationMs: number;
}

/** Why a script run failed; line and column are 1-based, in the script. */
export interface ScriptTestError {
  name: string;
  message: string;
  line?: number;
  column?: number;
  /** The limit that ended the run: `timeout`, `memory`, `cpu` or `output`. */
  limit?: string;
}

/** A side effect a tested script asked for; recorded, never performed. */
export interface ScriptTestEffect {
  type: 'KAFKA.publish' | 'HTTP.request';
  topic?: string;
  value?: unknown;
  key?: string | null;
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A script test that could not run: its provider is gone, or the script does not parse. */
export interface ScriptTestFailure {
  error: 'not_found' | 'script_syntax_error';
  message: string;
  line?: number;
  column?: number;
}
