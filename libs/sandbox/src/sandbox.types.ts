/** Match scripts decide whether a message belongs to a provider; function scripts act on it. */
export type ScriptKind = 'match' | 'function';

/** FlexDeploy's log levels, lowest first. */
export type LogLevel = 'FINE' | 'INFO' | 'WARNING' | 'SEVERE';

export interface LogLine {
  level: LogLevel;
  text: string;
  /** ISO-8601 time the script wrote the line. */
  at: string;
}

/** What a script sees of one incoming message and its provider. */
export interface ScriptInput {
  messageId: string;
  /** 'POST' */
  method: string;
  /** 'git/push' (no query) */
  uri: string;
  query: Record<string, string | string[]>;
  /** Lower-case names. */
  headers: Record<string, string>;
  remoteAddr: string;
  remoteHost?: string;
  /** The pristine raw bytes, exactly as received. */
  body: Buffer;
  contentType?: string;
  /** A function's try in its run: 1, then 2, 3… for retries of its retry policy. 1 when absent. */
  try?: number;
  /** Provider properties; secret values are masked in logs, messages and errors. */
  properties: Array<{ name: string; value: string; secret: boolean }>;
}

/** Side effects a function script may ask for; implemented by the executor. */
export interface HostApi {
  publish?(topic: string, value: unknown, options: { key?: string; headers?: Record<string, string> }): Promise<void>;
  httpRequest?(request: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs?: number;
  }): Promise<{ status: number; headers: Record<string, string>; body: string }>;
}

/** The HTTP reply a function script shaped through `RESPONSE.*`. */
export interface ScriptResponse {
  status?: number;
  body?: unknown;
  headers: Record<string, string>;
}

/** Which limit ended a run. 'log' is never a failure: over-long logs are cut, the run goes on. */
export type SandboxLimitKind = 'timeout' | 'memory' | 'cpu' | 'log' | 'output';

/**
 * Why a run failed. `message` is the error's own text ("foo is not defined", "script timed out
 * after 5000 ms"); `formatScriptError` turns the whole object into one readable line.
 */
export interface ScriptError {
  name: string;
  message: string;
  /** 1-based line in the user's script, when the error points into it. */
  line?: number;
  /** 1-based column in the user's script. */
  column?: number;
  limit?: SandboxLimitKind;
}

export interface ScriptOutcome {
  /** false: threw, timed out, hit a limit, or returned something not serialisable. */
  ok: boolean;
  /** The returned value as a JSON copy (undefined when the script returned nothing, null on failure). */
  value: unknown;
  /** Match kind only: the script returned exactly `true`. */
  matched?: boolean;
  /** Set by `LOG.setMessage`. */
  message: string | null;
  logs: LogLine[];
  error: ScriptError | null;
  /** Function kind only, when the script used `RESPONSE.*`. */
  response?: ScriptResponse;
  durationMs: number;
}

export interface SandboxLimits {
  /** Heap limit of the isolate running the script. */
  memoryMb: number;
  /** Wall-clock budget of one run, awaited host calls included. */
  timeoutMs: number;
  /** CPU budget of one run. */
  cpuTimeMs: number;
  maxLogLines: number;
  maxLogBytes: number;
  /** UTF-8 size cap of the returned value plus the response body, as JSON. */
  maxOutputBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = Object.freeze({
  memoryMb: 64,
  timeoutMs: 5000,
  cpuTimeMs: 2000,
  maxLogLines: 1000,
  maxLogBytes: 256 * 1024,
  maxOutputBytes: 1024 * 1024,
});

/** How the sandbox spends the machine; the defaults suit one service process. */
export interface SandboxOptions {
  /** Isolates running scripts at the same time; further runs wait. Default: CPU count, at least 2. */
  maxIsolates?: number;
  /** Compiled scripts kept per isolate (least recently used are dropped). Default 500. */
  maxCachedScripts?: number;
}
