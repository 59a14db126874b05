import ivm from 'isolated-vm';
import { HMAC_ALGORITHMS, type HmacAlgorithm, constantTimeEqual, hmac } from './helpers/crypto';
import { PROVIDER_VERIFIERS } from './helpers';
import type { HostApi, LogLevel, LogLine } from './sandbox.types';
import { errorMessage as reason } from './script-wrapper';

/** A log line as the runtime sends it: [level, text, ISO time]. */
export type RuntimeLogLine = [LogLevel, string, string];

/** The host-side state of one run: what the bridge callbacks act on while the run is active. */
export class ScriptRun {
  /** Lines the runtime handed over with host calls, in order, so they survive a later timeout. */
  readonly flushedLogs: LogLine[] = [];
  finished = false;

  constructor(
    readonly headers: Record<string, string>,
    readonly body: Buffer,
    readonly host: HostApi | undefined,
    /** performance.now() after which the run is over its wall-clock budget. */
    readonly deadline: number,
  ) {}

  flush(lines: RuntimeLogLine[]): void {
    for (const [level, text, at] of lines) this.flushedLogs.push({ level, text, at });
  }
}

type HostReply = { ok: true; value?: unknown; summary: string } | { ok: false; error: string; summary: string };

interface PublishCall {
  topic: string;
  valueJson: string;
  key?: string;
  headers?: Record<string, string>;
}

interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

const elapsed = (since: number): string => `${Math.round(performance.now() - since)} ms`;

/**
 * The host's side of the isolate's bridges. One bridge serves one isolate, and an isolate runs one
 * script at a time, so every callback acts on `active`; calls that arrive for a finished run get
 * no side effects and never settle.
 */
export class HostBridge {
  active: ScriptRun | null = null;

  /** The arguments of the runtime's `install(hostHmac, hostEquals, hostVerify, hostCall)`. */
  transferables(): [ivm.Callback, ivm.Callback, ivm.Callback, ivm.Reference] {
    return [
      new ivm.Callback((algorithm: string, data: string | null, key: string, encoding: string) =>
        this.hmac(algorithm, data, key, encoding),
      ),
      new ivm.Callback((a: string, b: string) => constantTimeEqual(a, b)),
      new ivm.Callback((name: string, args: unknown[]) => this.verify(name, args)),
      new ivm.Reference((op: string, payloadJson: string, logs: RuntimeLogLine[]) => this.call(op, payloadJson, logs)),
    ];
  }

  private requireRun(): ScriptRun {
    if (this.active === null || this.active.finished) throw new Error('no script is running');
    return this.active;
  }

  /** `data` null stands for the pristine payload: the raw body bytes, not a re-encoded string. */
  private hmac(algorithm: string, data: string | null, key: string, encoding: string): string {
    if (!HMAC_ALGORITHMS.includes(algorithm as HmacAlgorithm)) throw new Error(`unknown HMAC algorithm ${algorithm}`);
    const bytes = data === null ? this.requireRun().body : data;
    return hmac(algorithm as HmacAlgorithm, key, bytes).toString(encoding === 'base64' ? 'base64' : 'hex');
  }

  private verify(name: string, args: unknown[]): boolean {
    const verifier = PROVIDER_VERIFIERS[name];
    const run = this.requireRun();
    try {
      return verifier !== undefined && verifier({ headers: run.headers, body: run.body, now: Date.now() }, args);
    } catch {
      return false; // a malformed header is a failed check, never an error
    }
  }

  private async call(op: string, payloadJson: string, logs: RuntimeLogLine[]): Promise<HostReply> {
    const run = this.active;
    if (run === null || run.finished) return new Promise<never>(() => undefined);
    run.flush(logs);
    const payload: unknown = JSON.parse(payloadJson);
    if (op === 'publish') return this.publish(run, payload as PublishCall);
    if (op === 'http') return this.http(run, payload as HttpCall);
    return { ok: false, error: `unknown host call '${op}'`, summary: '' };
  }

  private async publish(run: ScriptRun, call: PublishCall): Promise<HostReply> {
    const label = `KAFKA.publish to '${call.topic}'${call.key === undefined ? '' : ` with key '${call.key}'`}`;
    if (!run.host?.publish) {
      return { ok: false, error: 'KAFKA.publish is not available', summary: `${label}: not available` };
    }
    const started = performance.now();
    try {
      const options: { key?: string; headers?: Record<string, string> } = {};
      if (call.key !== undefined) options.key = call.key;
      if (call.headers !== undefined) options.headers = call.headers;
      await run.host.publish(call.topic, JSON.parse(call.valueJson), options);
      return { ok: true, summary: `${label}: ok in ${elapsed(started)}` };
    } catch (error) {
      const summary = `${label}: failed after ${elapsed(started)}: ${reason(error)}`;
      return { ok: false, error: `KAFKA.publish failed: ${reason(error)}`, summary };
    }
  }

  private async http(run: ScriptRun, call: HttpCall): Promise<HostReply> {
    const label = `HTTP ${call.method} ${call.url}`;
    if (!run.host?.httpRequest) {
      return { ok: false, error: 'HTTP.request is not available', summary: `${label}: not available` };
    }
    const started = performance.now();
    // A request may not outlive the run that waits for it.
    const remaining = Math.max(1, Math.floor(run.deadline - started));
    const timeoutMs = Math.min(call.timeoutMs ?? remaining, remaining);
    try {
      const response = await run.host.httpRequest({ ...call, timeoutMs });
      const value = {
        status: Number(response.status),
        headers: Object.fromEntries(
          Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
        ),
        body: String(response.body ?? ''),
      };
      return { ok: true, value, summary: `${label} → ${value.status} in ${elapsed(started)}` };
    } catch (error) {
      const summary = `${label}: failed after ${elapsed(started)}: ${reason(error)}`;
      return { ok: false, error: `HTTP request failed: ${reason(error)}`, summary };
    }
  }
}
