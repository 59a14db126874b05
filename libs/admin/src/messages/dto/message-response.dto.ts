import type {
  ExecutionEntity,
  MessageEntity,
  MessageFunction,
  MessageSummary,
  ScriptLogLine,
} from '@hookline/persistence';

/** A function of the message's latest run: its id and name, and its execution's status. */
export type MessageFunctionResponse = MessageFunction;

/** One line of the message list. */
export interface MessageSummaryResponse {
  id: string;
  method: string;
  uri: string;
  receivedAt: string;
  status: string;
  providerId: string | null;
  providerName: string | null;
  message: string | null;
  remoteAddr: string;
  run: number;
  functions: MessageFunctionResponse[];
  durationMs: number | null;
  resubmittedBy: string | null;
}

export interface MessagePageResponse {
  items: MessageSummaryResponse[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface ExecutionResponse {
  id: string;
  functionId: string;
  functionName: string;
  status: string;
  message: string | null;
  logs: ScriptLogLine[];
  result: unknown;
  error: string | null;
  durationMs: number | null;
  attempt: number;
  /** 1 for the function's first try in the run; each retry of its retry policy is the next. */
  try: number;
  /** Set while this try waits for its retry backoff. */
  dueAt: string | null;
  run: number;
  startedAt: string | null;
  finishedAt: string | null;
  resubmittedBy: string | null;
}

/** A message without its body (see `/payload`), with the executions of every run. */
export interface MessageDetailResponse {
  id: string;
  method: string;
  uri: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  remoteAddr: string;
  contentType: string | null;
  receivedAt: string;
  status: string;
  providerId: string | null;
  providerName: string | null;
  message: string | null;
  matchLog: ScriptLogLine[];
  run: number;
  /** For a DUPLICATE: the message it repeats, whose outcome it shares. */
  duplicateOf: string | null;
  executions: ExecutionResponse[];
}

export const toMessageSummaryResponse = (m: MessageSummary): MessageSummaryResponse => ({
  id: m.id,
  method: m.method,
  uri: m.uri,
  receivedAt: m.receivedAt.toISOString(),
  status: m.status,
  providerId: m.providerId,
  providerName: m.providerName,
  message: m.message,
  remoteAddr: m.remoteAddr,
  run: m.run,
  functions: m.functions,
  durationMs: m.durationMs,
  resubmittedBy: m.resubmittedBy,
});

export const toExecutionResponse = (e: ExecutionEntity): ExecutionResponse => ({
  id: e.id,
  functionId: e.functionId,
  functionName: e.functionName,
  status: e.status,
  message: e.message,
  logs: e.logs,
  result: e.result,
  error: e.error,
  durationMs: e.durationMs,
  attempt: e.attempt,
  try: e.try,
  dueAt: e.dueAt?.toISOString() ?? null,
  run: e.run,
  startedAt: e.startedAt?.toISOString() ?? null,
  finishedAt: e.finishedAt?.toISOString() ?? null,
  resubmittedBy: e.resubmittedBy,
});

export const toMessageDetailResponse = (m: MessageEntity, executions: ExecutionEntity[]): MessageDetailResponse => ({
  id: m.id,
  method: m.method,
  uri: m.uri,
  query: m.query,
  headers: m.headers,
  remoteAddr: m.remoteAddr,
  contentType: m.contentType,
  receivedAt: m.receivedAt.toISOString(),
  status: m.status,
  providerId: m.providerId,
  providerName: m.providerName,
  message: m.message,
  matchLog: m.matchLog,
  run: m.run,
  duplicateOf: m.duplicateOf ?? null,
  executions: executions.map(toExecutionResponse),
});
