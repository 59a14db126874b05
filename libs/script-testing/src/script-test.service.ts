import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ForbiddenError, NotFoundError, ScriptSyntaxError, ValidationFailedError, type Caller } from '@hookline/admin';
import { MessageEntity, toBuffer, type ProviderEntity } from '@hookline/persistence';
import { ConfigCache } from '@hookline/pipeline';
import { formatScriptError, ScriptSandbox, type HostApi, type ScriptInput, type ScriptKind } from '@hookline/sandbox';
import type { ScriptTestResultResponse, SideEffectResponse, TestScriptDto } from './dto/test-script.dto';

/** What `HTTP.request` answers in a test: nothing was sent, so nothing came back. */
const NOT_SENT = { status: 200, headers: { 'x-hookline-test': 'not sent' }, body: '' };

/**
 * Runs a provider's match script or a function's script, saved or edited, against a stored message
 * or a made-up request: in the real sandbox with the real limits and the provider's real
 * properties (secrets decrypted, and masked in what comes back), recording the side effects it
 * asks for instead of performing them. Nothing is stored and nothing is published.
 */
@Injectable()
export class ScriptTestService {
  constructor(
    private readonly config: ConfigCache,
    private readonly sandbox: ScriptSandbox,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  async testProvider(id: string, dto: TestScriptDto, caller: Caller): Promise<ScriptTestResultResponse> {
    const view = await this.config.refresh();
    const provider = view.provider(id);
    if (!provider) throw new NotFoundError('provider', id);
    return this.run('match', dto.script ?? provider.matchScript, provider, await this.sample(dto, caller, ''));
  }

  async testFunction(id: string, dto: TestScriptDto, caller: Caller): Promise<ScriptTestResultResponse> {
    const view = await this.config.refresh();
    const fn = view.function(id);
    const provider = fn && view.provider(fn.providerId);
    if (!fn || !provider) throw new NotFoundError('function', id);
    return this.run('function', dto.script ?? fn.script, provider, await this.sample(dto, caller, fn.uri));
  }

  private async run(
    kind: ScriptKind,
    script: string,
    provider: ProviderEntity,
    sample: Omit<ScriptInput, 'properties'>,
  ): Promise<ScriptTestResultResponse> {
    const problem = this.sandbox.check(script, kind);
    if (problem) throw new ScriptSyntaxError('script', problem.line, problem.column, problem.message);
    const effects: SideEffectResponse[] = [];
    const host: HostApi | undefined =
      kind === 'function'
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
    const outcome = await this.sandbox.run(kind, script, { ...sample, properties: provider.properties ?? [] }, host);
    return {
      ok: outcome.ok,
      ...(kind === 'match' ? { matched: outcome.matched ?? false } : {}),
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
  }

  /** The message the script sees: a stored one (its payload needs `details`) or the one sent. */
  private async sample(dto: TestScriptDto, caller: Caller, uri: string): Promise<Omit<ScriptInput, 'properties'>> {
    if (dto.messageId && dto.request)
      throw new ValidationFailedError('messageId', 'send messageId or request, not both');
    if (dto.messageId) {
      if (!caller.details) {
        throw new ForbiddenError(
          `token '${caller.name}' may not run scripts on a stored message: it has no details permission (send a request instead)`,
        );
      }
      const id = dto.messageId.toLowerCase();
      const message = await this.db.getRepository(MessageEntity).findOne({ where: { id } });
      if (!message) throw new NotFoundError('message', id);
      return {
        messageId: message.id,
        method: message.method,
        uri: message.uri,
        query: message.query,
        headers: message.headers,
        remoteAddr: message.remoteAddr,
        body: toBuffer(message.body),
        contentType: message.contentType ?? undefined,
      };
    }
    if (!dto.request) throw new ValidationFailedError('request', 'send messageId (a stored message) or request');
    const headers = Object.fromEntries(
      Object.entries(dto.request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
    );
    return {
      messageId: uuidv7(),
      method: dto.request.method ?? 'POST',
      uri: (dto.request.uri ?? uri).replace(/^\/+|\/+$/g, ''),
      query: dto.request.query ?? {},
      headers,
      remoteAddr: '127.0.0.1',
      body: Buffer.from(dto.request.body ?? '', 'utf8'),
      contentType: headers['content-type'],
    };
  }
}
