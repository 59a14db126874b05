import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { createLogger } from '@hookline/config';
import type { RateLimit } from '@hookline/contracts';
import { FunctionStore, ProviderStore, type ProviderChanges, type ProviderEntity } from '@hookline/persistence';
import { SecretCipher } from '@hookline/secrets';
import { changeConfigAudited, isUniqueViolation, sentFields } from '../config-change';
import { ConflictError, NotFoundError, ValidationFailedError } from '../errors/api-error';
import { toFunctionResponse } from '../functions/dto/function-response.dto';
import { ProviderTemplatesService, type TemplatedProvider } from '../provider-templates/provider-templates.service';
import { assertScriptSyntax } from '../scripts/script-syntax';
import type { CreateProviderDto } from './dto/create-provider.dto';
import { toProviderResponse, type ProviderResponse } from './dto/provider-response.dto';
import type { UpdateProviderDto } from './dto/update-provider.dto';
import { resolveProperties } from './provider-properties';

/**
 * Providers in evaluation order; every change bumps the configuration revision. Secret property
 * values are stored encrypted and never leave in a response.
 */
@Injectable()
export class ProvidersService {
  private readonly log = createLogger('admin-api');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly providers: ProviderStore,
    private readonly functions: FunctionStore,
    private readonly cipher: SecretCipher,
    private readonly templates: ProviderTemplatesService,
  ) {}

  async list(): Promise<ProviderResponse[]> {
    const providers = await this.providers.list();
    return providers.map(toProviderResponse);
  }

  async get(id: string): Promise<ProviderResponse> {
    return toProviderResponse(await this.find(this.db.manager, id));
  }

  /** A new provider is evaluated after every existing one. */
  async create(dto: CreateProviderDto, tokenName: string): Promise<ProviderResponse> {
    const sent = this.sentOrTemplated(dto);
    assertScriptSyntax('matchScript', sent.matchScript);
    const properties = resolveProperties(sent.properties, [], this.cipher);
    const provider = await this.guardName(sent.name, () =>
      changeConfigAudited(this.db, tokenName, async (tx, audit) => {
        const id = uuidv7();
        await this.providers.insert(
          {
            id,
            name: sent.name,
            description: dto.description ?? null,
            active: dto.active ?? true,
            sequence: await this.providers.nextSequence(tx),
            matchScript: sent.matchScript,
            properties,
            dedupHeader: dto.dedupHeader ?? null,
            dedupWindowSeconds: dto.dedupWindowSeconds ?? null,
            rateLimit: rateLimit(dto.rateLimit),
          },
          tx,
        );
        const stored = await this.find(tx, id);
        await audit({
          action: 'provider.create',
          targetType: 'provider',
          targetId: stored.id,
          before: null,
          after: { ...toProviderResponse(stored), ...(dto.template !== undefined ? { template: dto.template } : {}) },
        });
        return stored;
      }),
    );
    this.log.info(
      { providerId: provider.id, name: provider.name, sequence: provider.sequence, template: dto.template },
      'provider created',
    );
    return toProviderResponse(provider);
  }

  async update(id: string, dto: UpdateProviderDto, tokenName: string): Promise<ProviderResponse> {
    // Nothing to change: no reason to make every cache reload.
    if (sentFields(dto).length === 0) return this.get(id);
    if (dto.matchScript !== undefined) assertScriptSyntax('matchScript', dto.matchScript);
    const provider = await this.guardName(dto.name, () =>
      changeConfigAudited(this.db, tokenName, async (tx, audit) => {
        const stored = await this.find(tx, id);
        const changes: ProviderChanges = {};
        if (dto.name !== undefined) changes.name = dto.name;
        if (dto.description !== undefined) changes.description = dto.description;
        if (dto.active !== undefined) changes.active = dto.active;
        if (dto.matchScript !== undefined) changes.matchScript = dto.matchScript;
        if (dto.dedupHeader !== undefined) changes.dedupHeader = dto.dedupHeader;
        if (dto.dedupWindowSeconds !== undefined) changes.dedupWindowSeconds = dto.dedupWindowSeconds;
        if (dto.rateLimit !== undefined) changes.rateLimit = rateLimit(dto.rateLimit);
        if (dto.properties !== undefined) {
          changes.properties = resolveProperties(dto.properties, stored.properties, this.cipher);
        }
        await this.providers.update(id, changes, tx);
        const updated = await this.find(tx, id);
        await audit({
          action: 'provider.update',
          targetType: 'provider',
          targetId: id,
          before: toProviderResponse(stored),
          after: toProviderResponse(updated),
        });
        return updated;
      }),
    );
    this.log.info({ providerId: id, fields: sentFields(dto) }, 'provider updated');
    return toProviderResponse(provider);
  }

  /** Its functions go with it (foreign key cascade). */
  async remove(id: string, tokenName: string): Promise<void> {
    await changeConfigAudited(this.db, tokenName, async (tx, audit) => {
      const stored = await this.find(tx, id);
      const functions = await this.functions.list({ providerId: id }, tx);
      await this.providers.delete(id, tx);
      await audit({
        action: 'provider.delete',
        targetType: 'provider',
        targetId: id,
        // The functions went with it: the entry says what was lost.
        before: { ...toProviderResponse(stored), functions: functions.map(toFunctionResponse) },
        after: null,
      });
    });
    this.log.info({ providerId: id }, 'provider deleted');
  }

  /** Sets the evaluation order; `ids` must list every provider exactly once. */
  async reorder(ids: string[], tokenName: string): Promise<ProviderResponse[]> {
    const order = ids.map((id) => id.toLowerCase());
    const repeated = order.find((id, i) => order.indexOf(id) !== i);
    if (repeated) throw new ValidationFailedError('ids', `ids lists provider '${repeated}' more than once`);
    const providers = await changeConfigAudited(this.db, tokenName, async (tx, audit) => {
      const existing = await this.providers.ids(tx);
      const missing = existing.filter((id) => !order.includes(id));
      const unknown = order.filter((id) => !existing.includes(id));
      if (missing.length > 0 || unknown.length > 0) {
        const problems = [
          missing.length > 0 ? `missing: ${missing.join(', ')}` : '',
          unknown.length > 0 ? `unknown: ${unknown.join(', ')}` : '',
        ];
        throw new ValidationFailedError(
          'ids',
          `ids must list every provider exactly once (${problems.filter(Boolean).join('; ')})`,
        );
      }
      await this.providers.reorder(order, tx);
      await audit({
        action: 'provider.reorder',
        targetType: 'provider',
        targetId: null,
        before: existing,
        after: order,
      });
      return this.providers.list(tx);
    });
    this.log.info({ providerIds: order }, 'providers reordered');
    return providers.map(toProviderResponse);
  }

  /** Name, match script and properties as sent, or as the named template fills them in. */
  private sentOrTemplated(dto: CreateProviderDto): TemplatedProvider {
    if (dto.template !== undefined) return this.templates.instantiate(dto.template, dto);
    // Validation requires both when no template is named.
    return { name: dto.name!, matchScript: dto.matchScript!, properties: dto.properties ?? [] };
  }

  private async find(manager: EntityManager, id: string): Promise<ProviderEntity> {
    const provider = await this.providers.get(id, manager);
    if (!provider) throw new NotFoundError('provider', id);
    return provider;
  }

  /** The unique constraint decides, so two concurrent requests for one name cannot both win. */
  private async guardName<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error, 'providers_name_unique')) {
        throw new ConflictError('name_taken', `a provider named '${name}' already exists`, 'name');
      }
      throw error;
    }
  }
}

/** Only the limit's own fields are stored, whatever else the request held. */
const rateLimit = (limit: RateLimit | null | undefined): RateLimit | null =>
  limit ? { perSecond: limit.perSecond, burst: limit.burst } : null;
