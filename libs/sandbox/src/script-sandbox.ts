import { availableParallelism } from 'node:os';
import ivm from 'isolated-vm';
import { ScriptRun } from './host-bridge';
import { IsolatePool } from './isolate-pool';
import { type RuntimeInput, SandboxIsolate } from './sandbox-isolate';
import {
  DEFAULT_SANDBOX_LIMITS,
  type HostApi,
  type SandboxLimits,
  type SandboxOptions,
  type ScriptInput,
  type ScriptKind,
  type ScriptOutcome,
} from './sandbox.types';
import { ScriptChecker } from './script-checker';
import { type OutcomeContext, completedOutcome, failedOutcome, limitError } from './script-outcome';
import { errorMessage, propertyParameters } from './script-wrapper';
import { SecretMask } from './secret-mask';
import { metrics, sandboxResult } from '@hookline/metrics';

const DEFAULT_MAX_CACHED_SCRIPTS = 500;

/**
 * Runs match and function scripts in isolated-vm isolates. Isolates are pooled and keep one
 * frozen context each; a run's data lives only in objects made for that run. A run's outcome
 * reports everything the script did wrong: `run` rejects only when the sandbox was disposed.
 */
export class ScriptSandbox {
  readonly limits: SandboxLimits;
  private readonly pool: IsolatePool;
  private readonly checker = new ScriptChecker();
  // The body of one message is decoded and copied out of the heap once for all its scripts.
  private readonly bodies = new WeakMap<Buffer, ivm.ExternalCopy<string>>();

  constructor(limits: Partial<SandboxLimits> = {}, options: SandboxOptions = {}) {
    this.limits = { ...DEFAULT_SANDBOX_LIMITS, ...withoutUndefined(limits) };
    const maxIsolates = options.maxIsolates ?? Math.max(2, availableParallelism());
    const maxCachedScripts = options.maxCachedScripts ?? DEFAULT_MAX_CACHED_SCRIPTS;
    this.pool = new IsolatePool(() => SandboxIsolate.create(this.limits, maxCachedScripts), maxIsolates);
  }

  /** Syntax check without running; null when fine. Line and column are in the user's script (1-based). */
  check(source: string, kind: ScriptKind): { message: string; line: number; column: number } | null {
    return this.checker.check(source, kind);
  }

  /** Runs a script against one message. Never rejects for anything the script does. */
  async run(kind: ScriptKind, source: string, input: ScriptInput, host?: HostApi): Promise<ScriptOutcome> {
    const outcome = await this.runInIsolate(kind, source, input, host);
    metrics.sandboxRuns.inc({ kind, result: sandboxResult(outcome.ok, outcome.error?.name) });
    return outcome;
  }

  private async runInIsolate(
    kind: ScriptKind,
    source: string,
    input: ScriptInput,
    host?: HostApi,
  ): Promise<ScriptOutcome> {
    if (kind !== 'match' && kind !== 'function') throw new TypeError(`unknown script kind '${String(kind)}'`);
    const isolate = await this.pool.acquire();
    const started = performance.now();
    const body = Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body ?? '');
    const headers = lowerCaseKeys(input.headers ?? {});
    const run = new ScriptRun(headers, body, host, started + this.limits.timeoutMs);
    const properties = input.properties ?? [];
    const context = (): OutcomeContext => ({
      kind,
      limits: this.limits,
      mask: new SecretMask(properties),
      flushedLogs: run.flushedLogs,
      durationMs: performance.now() - started,
    });
    let reusable = false;
    try {
      const parameters = propertyParameters(kind, properties, isolate.globalNames);
      const prepared = await isolate.prepare(kind, source, parameters.names);
      if (prepared.status === 'invalid') {
        reusable = true;
        return failedOutcome(context(), { name: 'SyntaxError', ...prepared.error });
      }
      const runtimeInput: RuntimeInput = {
        kind,
        messageId: input.messageId,
        method: input.method,
        uri: input.uri,
        query: input.query ?? {},
        headers,
        remoteAddr: input.remoteAddr,
        remoteHost: input.remoteHost ?? input.remoteAddr,
        try: input.try ?? 1,
        properties: Object.fromEntries(properties.map((p) => [p.name, String(p.value)])),
        params: parameters.values,
        limits: this.limits,
      };
      const execution = await isolate.execute(run, prepared.factory, runtimeInput, this.bodyCopy(body));
      if (execution.status === 'limit') return failedOutcome(context(), limitError(execution.limit, this.limits));
      if (execution.status === 'crashed') {
        return failedOutcome(context(), { name: 'SandboxError', message: `the sandbox failed: ${execution.message}` });
      }
      reusable = execution.reusable;
      metrics.sandboxHeap.observe({ kind }, execution.usage.heapBytes);
      metrics.sandboxCpu.observe({ kind }, execution.usage.cpuSeconds);
      return completedOutcome(context(), execution.reply);
    } catch (error) {
      // Compiling can exhaust the isolate's heap too; anything else is the sandbox's own fault.
      const message = errorMessage(error);
      if (/memory limit/i.test(message)) return failedOutcome(context(), limitError('memory', this.limits));
      return failedOutcome(context(), { name: 'SandboxError', message: `the sandbox failed: ${message}` });
    } finally {
      this.pool.release(isolate, reusable && !isolate.disposed);
    }
  }

  /** Frees every isolate; runs in progress finish first, later calls to `run` reject. */
  dispose(): void {
    this.pool.dispose();
    this.checker.dispose();
  }

  private bodyCopy(body: Buffer): ivm.ExternalCopy<string> {
    let copy = this.bodies.get(body);
    if (copy === undefined) {
      // Buffer's decoder keeps a BOM and maps invalid bytes to U+FFFD; HMAC still signs the raw bytes.
      copy = new ivm.ExternalCopy(body.toString('utf8'));
      this.bodies.set(body, copy);
    }
    return copy;
  }
}

function lowerCaseKeys(record: Record<string, string>): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(record)) lower[name.toLowerCase()] = String(value);
  return lower;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
