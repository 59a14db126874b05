import { Inject, Injectable } from '@nestjs/common';
import { createLogger } from '@hookline/config';
import {
  encodeEvent,
  SCHEMA_HEADER,
  Topics,
  type ScriptTestEffect,
  type ScriptTestOutcome,
  type ScriptTestRequestEvent,
  type ScriptTestResultEvent,
} from '@hookline/contracts';
import { ConfigCache } from '@hookline/pipeline';
import { formatScriptError, ScriptSandbox, type HostApi, type ScriptInput } from '@hookline/sandbox';
import { BUS, type Bus } from '@hookline/transport';

/** What `HTTP.request` answers in a test: nothing was sent, so nothing came back. */
const NOT_SENT = { status: 200, headers: { 'x-hookline-test': 'not sent' }, body: '' };

/**
 * Runs a script test the admin API asked for: the provider's match script or a function's script,
 * saved or edited, against the sample request, in the real sandbox with the real limits and the
 * provider's real properties (secrets decrypted, and masked in what comes back), recording the
 * side effects it asks for instead of performing them. Nothing is stored; the only record
 * published is the answer, on `hookline.script-test-results.v1`.
 */
@Injectable()
export class RunScriptTestUseCase {
  private readonly log = createLogger('script-test');

  constructor(
    private readonly config: ConfigCache,
    private readonly sandbox: ScriptSandbox,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  async execute(test: ScriptTestRequestEvent, now = new Date()): Promise<void> {
    if (Date.parse(test.expiresAt) <= now.getTime()) {
      this.log.warn(
        { correlationId: test.correlationId, expiresAt: test.expiresAt },
        'skipping an expired script test',
      );
      return;
    }
    const answer: ScriptTestResultEvent = { correlationId: test.correlationId, ...(await this.run(test)) };
    await this.bus.publish(Topics.ScriptTestResults, [
      { key: test.correlationId, value: encodeEvent(answer), headers: { [SCHEMA_HEADER]: Topics.ScriptTestResults } },
    ]);
  }

  /** The outcome of one test, or why it could not run. */
  async run(test: ScriptTestRequestEvent): Promise<Omit<ScriptTestResultEvent, 'correlationId'>> {
    const view = await this.config.refresh();
    const provider = view.provider(test.providerId);
    if (!provider) {
      return { outcome: null, failure: { error: 'not_found', message: `provider '${test.providerId}' not found` } };
    }
    const problem = this.sandbox.check(test.script, test.kind);
    if (problem) {
      const { message, line, column } = problem;
      return { outcome: null, failure: { error: 'script_syntax_error', message, line, column } };
    }
    const effects: ScriptTestEffect[] = [];
    const host: HostApi | undefined =
      test.kind === 'function'
        ? {
            publish: async (topic, value, options) => {
              effects.push({ type: 'KAFKA.publish', topic, value, key: options.key ?? null, headers: options.headers });
            },
            httpRequest: async (request) => {
              effects.push({ type: 'HTTP.request', ...request });
              return NOT_SENT;
            },
          }
        : undefined;
    const input: ScriptInput = {
      messageId: test.messageId,
      method: test.request.method,
      uri: test.request.uri,
      query: test.request.query,
      headers: test.request.headers,
      remoteAddr: test.request.remoteAddr,
      body: Buffer.from(test.request.body, 'base64'),
      contentType: test.request.contentType ?? undefined,
      properties: provider.properties ?? [],
    };
    const outcome = await this.sandbox.run(test.kind, test.script, input, host);
    const result: ScriptTestOutcome = {
      ok: outcome.ok,
      ...(test.kind === 'match' ? { matched: outcome.matched ?? false } : {}),
      result: outcome.value ?? null,
      message: outcome.message,
      logs: outcome.logs,
      error: outcome.error
        ? {
            name: outcome.error.name,
            message: formatScriptError(outcome.error),
            line: outcome.error.line,
            column: outcome.error.column,
            limit: outcome.error.limit,
          }
        : null,
      effects,
      response: outcome.response ?? null,
      durationMs: Math.round(outcome.durationMs),
    };
    return { outcome: result, failure: null };
  }
}
