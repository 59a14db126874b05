import type { RuntimeLogLine } from './host-bridge';
import type { RuntimeReply } from './sandbox-isolate';
import type { LogLine, SandboxLimitKind, SandboxLimits, ScriptError, ScriptKind, ScriptOutcome } from './sandbox.types';
import type { SecretMask } from './secret-mask';

/** What the runtime reports besides the value: see `envelope` in runtime/prelude.js. */
interface RuntimeMeta {
  error: ScriptError | null;
  message: string | null;
  logs: RuntimeLogLine[];
  response: { status?: number; headers: Record<string, string> } | null;
}

/** Everything an outcome is built from, besides what the script itself produced. */
export interface OutcomeContext {
  kind: ScriptKind;
  limits: SandboxLimits;
  mask: SecretMask;
  /** Lines the runtime handed over before the end (with host calls). */
  flushedLogs: LogLine[];
  durationMs: number;
}

const LIMIT_ERROR_NAMES: Record<SandboxLimitKind, string> = {
  timeout: 'TimeoutError',
  memory: 'MemoryLimitError',
  cpu: 'CpuLimitError',
  log: 'LogLimitError',
  output: 'OutputLimitError',
};

/** The error for a run stopped by a limit, worded for the person who wrote the script. */
export function limitError(limit: SandboxLimitKind, limits: SandboxLimits, detail?: string): ScriptError {
  const messages: Record<SandboxLimitKind, string> = {
    timeout: `script timed out after ${limits.timeoutMs} ms`,
    memory: `script exceeded the memory limit of ${limits.memoryMb} MB`,
    cpu: `script exceeded the CPU time limit of ${limits.cpuTimeMs} ms`,
    log: `script exceeded the log limit of ${limits.maxLogLines} lines or ${limits.maxLogBytes} bytes`,
    output: `script output${detail ? ` of ${detail}` : ''} exceeds the limit of ${limits.maxOutputBytes} bytes`,
  };
  return { name: LIMIT_ERROR_NAMES[limit], message: messages[limit], limit };
}

/** One readable line: "ReferenceError: foo is not defined (line 3, column 5)". */
export function formatScriptError(error: ScriptError): string {
  const where =
    error.line === undefined
      ? ''
      : ` (line ${error.line}${error.column === undefined ? '' : `, column ${error.column}`})`;
  return `${error.name}: ${error.message}${where}`;
}

/** The outcome of a run that ended without the script producing anything (limit, crash, syntax). */
export function failedOutcome(context: OutcomeContext, error: ScriptError, logs: LogLine[] = []): ScriptOutcome {
  const { kind, mask } = context;
  const outcome: ScriptOutcome = {
    ok: false,
    value: null,
    message: null,
    logs: [...context.flushedLogs, ...logs].map((line) => ({ ...line, text: mask.apply(line.text) })),
    error: { ...error, message: mask.apply(error.message) },
    durationMs: context.durationMs,
  };
  if (kind === 'match') outcome.matched = false;
  return outcome;
}

/** The outcome of a run the runtime finished: returned, threw, or produced unserialisable output. */
export function completedOutcome(
  context: OutcomeContext,
  [metaJson, valueJson, bodyJson]: RuntimeReply,
): ScriptOutcome {
  const { kind, limits, mask } = context;
  const meta = JSON.parse(metaJson) as RuntimeMeta;
  const logs = meta.logs.map(([level, text, at]) => ({ level, text, at }));
  const outputBytes = Buffer.byteLength(valueJson ?? '') + Buffer.byteLength(bodyJson ?? '');
  let error = meta.error;
  if (error?.limit === 'output' || (error === null && outputBytes > limits.maxOutputBytes)) {
    error = limitError('output', limits, error === null ? `${outputBytes} bytes` : undefined);
  }
  if (error !== null) {
    const failed = failedOutcome(context, stripUndefined(error), logs);
    failed.message = meta.message === null ? null : mask.apply(meta.message);
    if (kind === 'function' && meta.response !== null) failed.response = { ...meta.response };
    return failed;
  }
  const value: unknown = valueJson === null ? undefined : JSON.parse(valueJson);
  const outcome: ScriptOutcome = {
    ok: true,
    value,
    message: meta.message === null ? null : mask.apply(meta.message),
    logs: [...context.flushedLogs, ...logs].map((line) => ({ ...line, text: mask.apply(line.text) })),
    error: null,
    durationMs: context.durationMs,
  };
  if (kind === 'match') outcome.matched = value === true;
  if (kind === 'function' && meta.response !== null) {
    outcome.response = { ...meta.response };
    if (bodyJson !== null) outcome.response.body = JSON.parse(bodyJson);
  }
  return outcome;
}

// JSON drops undefined fields anyway; this keeps line/column absent rather than present-but-undefined.
function stripUndefined(error: ScriptError): ScriptError {
  return Object.fromEntries(Object.entries(error).filter(([, v]) => v !== undefined)) as unknown as ScriptError;
}
