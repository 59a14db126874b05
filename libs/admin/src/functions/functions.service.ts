import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { createLogger } from '@hookline/config';
import type { RetryPolicy } from '@hookline/contracts';
import { FunctionStore, ProviderStore, type FunctionChanges, type FunctionEntity } from '@hookline/persistence';
import { changeConfigAudited, sentFields } from '../config-change';
import { NotFoundError, ValidationFailedError } from '../errors/api-error';
import { assertScriptSyntax } from '../scripts/script-syntax';
import type { CreateFunctionDto } from './dto/create-function.dto';
import { toFunctionResponse, type FunctionResponse } from './dto/function-response.dto';
import type { UpdateFunctionDto } from './dto/update-function.dto';

/** Functions of providers; every change bumps the configuration revision. */
@Injectable()
export class FunctionsService {
  private readonly log = createLogger('admin-api');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly functions: FunctionStore,
    private readonly providers: ProviderStore,
  ) {}

  async list(filter: { providerId?: string }): Promise<FunctionResponse[]> {
    const functions = await this.functions.list(filter);
    return functions.map(toFunctionResponse);
  }

  async get(id: string): Promise<FunctionResponse> {
    return toFunctionResponse(await this.find(this.db.manager, id));
  }

  async create(dto: CreateFunctionDto, tokenName: string): Promise<FunctionResponse> {
    assertScriptSyntax('script', dto.script);
    const fn = await changeConfigAudited(this.db, tokenName, async (tx, audit) => {
      // Checked after the revision bump: no provider can be deleted between this check and the insert.
      if (!(await this.providers.exists(dto.providerId, tx))) {
        throw new ValidationFailedError('providerId', `provider '${dto.providerId}' does not exist`);
      }
      const id = uuidv7();
      await this.functions.insert(
        {
          id,
          name: dto.name,
          description: dto.description ?? null,
          providerId: dto.providerId,
          uri: dto.uri,
          active: dto.active ?? true,
          script: dto.script,
          retry: retryPolicy(dto.retry),
        },
        tx,
      );
      const stored = await this.find(tx, id);
      await audit({
        action: 'function.create',
        targetType: 'function',
        targetId: stored.id,
        before: null,
        after: toFunctionResponse(stored),
      });
      return stored;
    });
    this.log.info({ functionId: fn.id, providerId: fn.providerId, uri: fn.uri }, 'function created');
    return toFunctionResponse(fn);
  }

  async update(id: string, dto: UpdateFunctionDto, tokenName: string): Promise<FunctionResponse> {
    // Nothing to change: no reason to make every cache reload.
    if (sentFields(dto).length === 0) return this.get(id);
    if (dto.script !== undefined) assertScriptSyntax('script', dto.script);
    const fn = await changeConfigAudited(this.db, tokenName, async (tx, audit) => {
      const stored = await this.find(tx, id);
      if (dto.providerId !== undefined && dto.providerId.toLowerCase() !== stored.providerId) {
        throw new ValidationFailedError(
          'providerId',
          `a function cannot move to another provider; create one under provider '${dto.providerId}' instead`,
        );
      }
      const changes: FunctionChanges = {};
      if (dto.name !== undefined) changes.name = dto.name;
      if (dto.description !== undefined) changes.description = dto.description;
      if (dto.uri !== undefined) changes.uri = dto.uri;
      if (dto.active !== undefined) changes.active = dto.active;
      if (dto.script !== undefined) changes.script = dto.script;
      if (dto.retry !== undefined) changes.retry = retryPolicy(dto.retry);
      await this.functions.update(id, changes, tx);
      const updated = await this.find(tx, id);
      await audit({
        action: 'function.update',
        targetType: 'function',
        targetId: id,
        before: toFunctionResponse(stored),
        after: toFunctionResponse(updated),
      });
      return updated;
    });
    this.log.info({ functionId: id, fields: sentFields(dto) }, 'function updated');
    return toFunctionResponse(fn);
  }

  async remove(id: string, tokenName: string): Promise<void> {
    await changeConfigAudited(this.db, tokenName, async (tx, audit) => {
      const stored = await this.find(tx, id);
      await this.functions.delete(id, tx);
      await audit({
        action: 'function.delete',
        targetType: 'function',
        targetId: id,
        before: toFunctionResponse(stored),
        after: null,
      });
    });
    this.log.info({ functionId: id }, 'function deleted');
  }

  private async find(manager: EntityManager, id: string): Promise<FunctionEntity> {
    const fn = await this.functions.get(id, manager);
    if (!fn) throw new NotFoundError('function', id);
    return fn;
  }
}

/** Only the policy's own fields are stored, whatever else the request held. */
const retryPolicy = (retry: RetryPolicy | null | undefined): RetryPolicy | null =>
  retry ? { maxAttempts: retry.maxAttempts, backoffMs: retry.backoffMs } : null;
