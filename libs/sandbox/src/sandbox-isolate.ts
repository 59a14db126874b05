import { createHash } from 'node:crypto';
import ivm from 'isolated-vm';
import { HostBridge, type ScriptRun } from './host-bridge';
import { RunWatchdog, type WatchdogLimit } from './run-watchdog';
import { RUNTIME_FILENAME, RUNTIME_SOURCE } from './runtime/runtime-source';
import type { ScriptKind, SandboxLimits } from './sandbox.types';
import {
  BODY_CHECK_CLOSURE,
  EARLY_CLOSE_MESSAGE,
  SCRIPT_FILENAME,
  SCRIPT_LINE_OFFSET,
  type ScriptSyntaxError,
  errorMessage,
  isSyntaxError,
  kindParameters,
  syntaxErrorOf,
  wrapScript,
} from './script-wrapper';

/** What a run hands the runtime, besides the body (copied separately and cached per message). */
export interface RuntimeInput {
  kind: ScriptKind;
  messageId: string;
  method: string;
  uri: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  remoteAddr: string;
  remoteHost: string;
  /** 1, or the number of a retry of the function's retry policy. */
  try: number;
  properties: Record<string, string>;
  /** Values of the property parameters, in the order of the compiled script's parameter names. */
  params: string[];
  limits: Pick<SandboxLimits, 'maxLogLines' | 'maxLogBytes' | 'maxOutputBytes'>;
}

/** The runtime's answer: [meta JSON, value JSON or null, response body JSON or null]. */
export type RuntimeReply = [string, string | null, string | null];

export type Execution =
  | { status: 'completed'; reply: RuntimeReply; reusable: boolean; usage: IsolateUsage }
  | { status: 'limit'; limit: WatchdogLimit | 'memory' }
  | { status: 'crashed'; message: string };

/** What a completed run left in its isolate: heap in use (V8's and external), CPU time it took. */
export interface IsolateUsage {
  heapBytes: number;
  cpuSeconds: number;
}

export type Preparation = { status: 'ready'; factory: ivm.Reference } | { status: 'invalid'; error: ScriptSyntaxError };

// An isolate whose heap stays this full after a run is replaced rather than risk the next run.
const HEAP_RECYCLE_RATIO = 0.75;

/**
 * One isolate with one hardened context, the runtime installed in it, and the scripts compiled
 * for it. Runs one script at a time; the pool guarantees that.
 */
export class SandboxIsolate {
  private readonly scripts = new Map<string, ivm.Reference>();

  private constructor(
    private readonly isolate: ivm.Isolate,
    private readonly context: ivm.Context,
    private readonly bridge: HostBridge,
    private readonly runner: ivm.Reference,
    /** Every global of the runtime; provider properties may not hide them. */
    readonly globalNames: ReadonlySet<string>,
    private readonly limits: SandboxLimits,
    private readonly maxCachedScripts: number,
  ) {}

  /** Starts an isolate and installs the runtime; a few milliseconds, so isolates are pooled. */
  static async create(limits: SandboxLimits, maxCachedScripts: number): Promise<SandboxIsolate> {
    const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
    try {
      const context = await isolate.createContext();
      const bridge = new HostBridge();
      const runtime = await isolate.compileScript(RUNTIME_SOURCE, { filename: RUNTIME_FILENAME });
      const install = (await runtime.run(context, { reference: true, release: true })) as ivm.Reference;
      const api = (await install.apply(undefined, bridge.transferables(), {
        result: { reference: true },
      })) as ivm.Reference;
      const runner = (await api.get('run', { reference: true })) as ivm.Reference;
      const globalNames = (await api.get('globalNames', { copy: true })) as string[];
      return new SandboxIsolate(isolate, context, bridge, runner, new Set(globalNames), limits, maxCachedScripts);
    } catch (error) {
      isolate.dispose();
      throw error;
    }
  }

  get disposed(): boolean {
    return this.isolate.isDisposed;
  }

  /** Compiles (or finds in the cache) the factory for a script with these property parameters. */
  async prepare(kind: ScriptKind, source: string, propertyNames: readonly string[]): Promise<Preparation> {
    const key = createHash('sha256')
      .update(`${kind}\0${propertyNames.join(',')}\0`)
      .update(source)
      .digest('base64');
    const cached = this.scripts.get(key);
    if (cached !== undefined) {
      // Re-insert to keep the map in least-recently-used order.
      this.scripts.delete(key);
      this.scripts.set(key, cached);
      return { status: 'ready', factory: cached };
    }
    const wrapped = wrapScript(source, [...kindParameters(kind), ...propertyNames]);
    let script: ivm.Script;
    try {
      script = await this.isolate.compileScript(wrapped, { filename: SCRIPT_FILENAME, lineOffset: SCRIPT_LINE_OFFSET });
    } catch (error) {
      if (isSyntaxError(error)) return { status: 'invalid', error: syntaxErrorOf(error, source) };
      throw error;
    }
    // Only once the body is known to be one function body may the wrapper run: otherwise code
    // after an early '}' would run outside any watchdog, at the top level of the context.
    const problem = await this.context.evalClosure(BODY_CHECK_CLOSURE, [source], {
      arguments: { copy: true },
      result: { copy: true },
    });
    if (problem !== null) {
      script.release();
      return { status: 'invalid', error: { message: EARLY_CLOSE_MESSAGE, line: 1, column: 1 } };
    }
    const factory = (await script.run(this.context, { reference: true, release: true })) as ivm.Reference;
    this.scripts.set(key, factory);
    if (this.scripts.size > this.maxCachedScripts) {
      const [oldestKey, oldest] = this.scripts.entries().next().value as [string, ivm.Reference];
      this.scripts.delete(oldestKey);
      oldest.release();
    }
    return { status: 'ready', factory };
  }

  /** Runs a prepared script under the watchdog. Disposes the isolate itself when a limit is hit. */
  async execute(
    run: ScriptRun,
    factory: ivm.Reference,
    input: RuntimeInput,
    body: ivm.ExternalCopy<string>,
  ): Promise<Execution> {
    const args = [factory.derefInto(), new ivm.ExternalCopy(input).copyInto({ release: true }), body.copyInto()];
    this.bridge.active = run;
    const cpuBefore = this.isolate.cpuTime;
    const watchdog = new RunWatchdog(this.isolate, this.limits);
    const execution = this.runner.apply(undefined, args, {
      result: { promise: true, copy: true },
      timeout: this.limits.timeoutMs,
    }) as Promise<RuntimeReply>;
    try {
      const settled = await Promise.race([
        execution.then((reply) => ({ reply })),
        watchdog.tripped.then((limit) => ({ limit })),
      ]);
      if ('reply' in settled) return this.completed(settled.reply, cpuBefore);
      execution.catch(() => undefined); // rejects once the isolate is gone
      this.dispose();
      return { status: 'limit', limit: settled.limit };
    } catch (error) {
      return this.failure(error);
    } finally {
      watchdog.stop();
      run.finished = true;
      this.bridge.active = null;
    }
  }

  dispose(): void {
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  /**
   * isolated-vm enforces the memory limit when V8 collects garbage, and V8 grants one huge
   * allocation (a 256 MB string, say) past its heap limit without collecting. A heap still over
   * the limit after the run is such a case: the run failed, and the isolate goes. A heap close
   * to the limit is not the run's fault, but the isolate is replaced all the same.
   */
  private completed(reply: RuntimeReply, cpuBefore: bigint): Execution {
    const heap = this.isolate.getHeapStatisticsSync();
    if (heap.used_heap_size > heap.heap_size_limit) {
      this.dispose();
      return { status: 'limit', limit: 'memory' };
    }
    const used = heap.used_heap_size + heap.externally_allocated_size;
    // The isolate's CPU time counts every run it served: this run's share is the difference.
    const usage = { heapBytes: used, cpuSeconds: Number(this.isolate.cpuTime - cpuBefore) / 1e9 };
    return {
      status: 'completed',
      reply,
      reusable: used < this.limits.memoryMb * 1024 * 1024 * HEAP_RECYCLE_RATIO,
      usage,
    };
  }

  private failure(error: unknown): Execution {
    const message = errorMessage(error);
    const disposed = this.isolate.isDisposed;
    this.dispose();
    // isolated-vm disposes an isolate that goes over its heap limit and says so.
    if (/memory limit/i.test(message) || disposed) return { status: 'limit', limit: 'memory' };
    if (/execution timed out/i.test(message)) return { status: 'limit', limit: 'timeout' };
    return { status: 'crashed', message };
  }
}
