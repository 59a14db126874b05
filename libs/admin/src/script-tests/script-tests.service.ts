import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import {
  encodeEvent,
  normaliseUri,
  SCHEMA_HEADER,
  Topics,
  type ScriptTestOutcome,
  type ScriptTestRequestEvent,
  type WebhookRequest,
} from '@hookline/contracts';
import { FunctionStore, HistoryStore, ProviderStore } from '@hookline/persistence';
import { findSyntaxError } from '@hookline/scripting';
import { BUS, type Bus } from '@hookline/transport';
import type { Caller } from '../auth/admin-token.guard';
import {
  ForbiddenError,
  GatewayTimeoutError,
  NotFoundError,
  ScriptSyntaxError,
  ServiceUnavailableError,
  ValidationFailedError,
} from '../errors/api-error';
import type { TestScriptDto } from './dto/test-script.dto';
import { ScriptTestReplies } from './script-test-replies';

/** Time for the request to reach an executor and its result to come back, beyond the script's own limit. */
export const SCRIPT_TEST_MARGIN_MS = 10_000;

/** The sample a script test runs against: the request, and the message id the script sees. */
type Sample = Pick<ScriptTestRequestEvent, 'messageId' | 'request'>;

/**
 * Tests a provider's match script or a function's script, saved or edited, against a stored
 * message or a made-up request. The admin API never runs scripts: it checks the caller and the
 * sample, hands the test to the executors over `hookline.script-tests.v1` and waits for their
 * answer on `hookline.script-test-results.v1`, at most the script time limit plus a margin.
 */
@Injectable()
export class ScriptTestsService {
  constructor(
    private readonly providers: ProviderStore,
    private readonly functions: FunctionStore,
    private readonly history: HistoryStore,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    private readonly replies: ScriptTestReplies,
  ) {}

  async testProvider(id: string, dto: TestScriptDto, caller: Caller): Promise<ScriptTestOutcome> {
    const matchScript = await this.providers.matchScript(id);
    if (matchScript === null) throw new NotFoundError('provider', id);
    const sample = await this.sample(dto, caller, '');
    return this.run({
      kind: 'match',
      providerId: id,
      functionId: null,
      script: dto.script ?? matchScript,
      ...sample,
    });
  }

  async testFunction(id: string, dto: TestScriptDto, caller: Caller): Promise<ScriptTestOutcome> {
    const fn = await this.functions.script(id);
    if (!fn) throw new NotFoundError('function', id);
    const sample = await this.sample(dto, caller, fn.uri);
    return this.run({
      kind: 'function',
      providerId: fn.providerId,
      functionId: id,
      script: dto.script ?? fn.script,
      ...sample,
    });
  }

  private async run(test: Omit<ScriptTestRequestEvent, 'correlationId' | 'expiresAt'>): Promise<ScriptTestOutcome> {
    // Parsed here, as saving does: a typo is answered at once, with no round trip to an executor.
    const problem = findSyntaxError(test.script);
    if (problem) throw new ScriptSyntaxError('script', problem.line, problem.column, problem.reason);
    const correlationId = uuidv7();
    const timeoutMs = this.replyTimeoutMs();
    const event: ScriptTestRequestEvent = {
      ...test,
      correlationId,
      expiresAt: new Date(Date.now() + timeoutMs).toISOString(),
    };
    const answer = this.replies.wait(correlationId, timeoutMs);
    try {
      await this.bus.publish(Topics.ScriptTests, [
        { key: correlationId, value: encodeEvent(event), headers: { [SCHEMA_HEADER]: Topics.ScriptTests } },
      ]);
    } catch (error) {
      this.replies.cancel(correlationId);
      throw new ServiceUnavailableError(
        'script_tests_unavailable',
        `the script test could not be handed to the executors: ${(error as Error).message}`,
      );
    }
    const result = await answer;
    if (result === null) {
      throw new GatewayTimeoutError(
        'script_test_timeout',
        `no executor ran the script test within ${timeoutMs} ms: check that executors are running and keeping up`,
      );
    }
    if (result.failure?.error === 'script_syntax_error') {
      const { line = 1, column = 1, message } = result.failure;
      throw new ScriptSyntaxError('script', line, column, message);
    }
    if (result.failure) throw new NotFoundError('provider', test.providerId);
    if (!result.outcome) throw new Error(`script test ${correlationId} answered neither an outcome nor a failure`);
    return result.outcome;
  }

  /** How long a test waits for an executor's answer: the script's own limit and a margin. */
  replyTimeoutMs(): number {
    return this.config.scripts.timeoutMs + SCRIPT_TEST_MARGIN_MS;
  }

  /** The message the script sees: a stored one (its payload needs `details`) or the one sent. */
  private async sample(dto: TestScriptDto, caller: Caller, uri: string): Promise<Sample> {
    if (dto.messageId && dto.request)
      throw new ValidationFailedError('messageId', 'send messageId or request, not both');
    if (dto.messageId) {
      if (!caller.details) {
        throw new ForbiddenError(
          `token '${caller.name}' may not run scripts on a stored message: it has no details permission (send a request instead)`,
        );
      }
      const id = dto.messageId.toLowerCase();
      const stored = await this.history.request(id);
      if (!stored) throw new NotFoundError('message', id);
      return stored;
    }
    if (!dto.request) throw new ValidationFailedError('request', 'send messageId (a stored message) or request');
    const headers = Object.fromEntries(
      Object.entries(dto.request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
    );
    const request: WebhookRequest = {
      method: dto.request.method ?? 'POST',
      uri: normaliseUri(dto.request.uri ?? uri),
      query: dto.request.query ?? {},
      headers,
      remoteAddr: '127.0.0.1',
      contentType: headers['content-type'] ?? null,
      body: Buffer.from(dto.request.body ?? '', 'utf8').toString('base64'),
      receivedAt: new Date().toISOString(),
    };
    return { messageId: uuidv7(), request };
  }
}
