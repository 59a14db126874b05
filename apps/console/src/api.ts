/** The admin API as the console uses it: the pasted token on every request, JSON errors as ApiError. */

export type Role = 'viewer' | 'operator' | 'admin';

export interface Session {
  name: string;
  role: Role;
  details: boolean;
}

export interface ScriptLogLine {
  level: string;
  text: string;
  at: string;
}

export interface MessageSummary {
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
}

/** A function of a message's latest run, as the list shows it. */
export interface MessageFunction {
  id: string;
  name: string;
  status: string;
}

/** A line of the message list: a summary with its latest run's functions, duration and resubmitter. */
export interface MessageListItem extends MessageSummary {
  functions: MessageFunction[];
  /** From the start of the latest run to its end; null while it runs. */
  durationMs: number | null;
  resubmittedBy: string | null;
}

export interface Execution {
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
  /** 1, or the number of a retry of the function's retry policy. */
  try: number;
  /** Set while this try waits for its retry backoff. */
  dueAt: string | null;
  run: number;
  startedAt: string | null;
  finishedAt: string | null;
  resubmittedBy: string | null;
}

export interface MessageDetail extends MessageSummary {
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  contentType: string | null;
  matchLog: ScriptLogLine[];
  duplicateOf: string | null;
  executions: Execution[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Property {
  name: string;
  value: string;
  secret?: boolean;
}

export interface Provider {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  sequence: number;
  matchScript: string;
  properties: Property[];
  dedupHeader: string | null;
  dedupWindowSeconds: number | null;
  rateLimit: { perSecond: number; burst: number } | null;
}

export interface ProviderTemplate {
  id: string;
  name: string;
  description: string;
  matchScript: string;
  properties: Array<{ name: string; secret: boolean; description: string; required: boolean }>;
}

export interface HooklineFunction {
  id: string;
  name: string;
  description: string | null;
  providerId: string;
  uri: string;
  active: boolean;
  script: string;
  retry: { maxAttempts: number; backoffMs: number } | null;
}

export interface Resubmission {
  id: string;
  status: 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED' | 'CANCELLED';
  total: number | null;
  done: number;
  skipped: number;
  failed: number;
  lastError: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  details: boolean;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  secret?: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  tokenName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
}

export interface DeadLetter {
  id: string;
  groupId: string;
  sourceTopic: string;
  partition: number;
  offset: string;
  messageId: string | null;
  attempts: number;
  error: string;
  failedAt: string;
  retriedAt: string | null;
  retriedBy: string | null;
  /** Only with the `details` permission. */
  headers?: Record<string, string>;
  /** The record, base64; only with the `details` permission. */
  value?: string | null;
}

export interface DeadLetterRetry {
  id: string;
  action: 'resubmitted' | 'republished';
  run?: number;
}

export type StatusCounts = Record<'RECEIVED' | 'PROCESSING' | 'SUCCESS' | 'FAILED' | 'UNMATCHED' | 'DUPLICATE', number>;

export interface MessageStats {
  from: string;
  to: string;
  bucketSeconds: number;
  buckets: Array<{ start: string; counts: StatusCounts }>;
}

/** An error answer of the API: `{ error, message, field?, line?, column? }` and its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'hookline.token';

/** Kept for the browser tab only: closing it signs out. */
export const storedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const storeToken = (token: string | null): void =>
  token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY);

let onUnauthorized: () => void = () => undefined;
/** Called when a request answers 401 (the token was revoked meanwhile). */
export const whenUnauthorized = (callback: () => void): void => {
  onUnauthorized = callback;
};

async function send(method: string, path: string, body?: unknown, token = storedToken()): Promise<Response> {
  const response = await fetch(`api/v1/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.ok) return response;
  const error = await response.json().catch(() => ({ error: 'http_error', message: response.statusText }));
  if (response.status === 401 && token === storedToken()) onUnauthorized();
  throw new ApiError(response.status, error.error, error.message, error.field, error.line, error.column);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

export const get = <T>(path: string) => api<T>('GET', path);

/** Checks a token before keeping it. */
export async function signIn(token: string): Promise<Session> {
  const response = await send('GET', 'session', undefined, token);
  return (await response.json()) as Session;
}

/** The body exactly as received. */
export async function payload(id: string): Promise<{ bytes: ArrayBuffer; contentType: string }> {
  const response = await send('GET', `messages/${id}/payload`);
  return {
    bytes: await response.arrayBuffer(),
    contentType: response.headers.get('content-type') ?? 'application/octet-stream',
  };
}

/** `a=1&b=2` without empty values. */
export const query = (params: Record<string, string | undefined | null>): string =>
  new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => !!entry[1])).toString();

export const roleAllows = (held: Role, required: Role): boolean => {
  const order: Role[] = ['viewer', 'operator', 'admin'];
  return order.indexOf(held) >= order.indexOf(required);
};
