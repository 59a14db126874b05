import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ResubmissionStore } from '@hookline/persistence';
import { writeAudit } from '../audit/audit-trail';
import { ConflictError, NotFoundError } from '../errors/api-error';
import { toHistoryFilter } from '../messages/dto/history-filter.dto';
import { DEFAULT_RATE_PER_SECOND, type CreateResubmissionDto } from './dto/create-resubmission.dto';
import type { ListResubmissionsQueryDto } from './dto/list-resubmissions-query.dto';
import {
  toResubmissionResponse,
  type ResubmissionPageResponse,
  type ResubmissionResponse,
} from './dto/resubmission-response.dto';

/** Bulk resubmissions: recorded here, run in the background by ResubmissionWorker. */
@Injectable()
export class ResubmissionsService {
  constructor(
    private readonly store: ResubmissionStore,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  async create(dto: CreateResubmissionDto, requestedBy: string): Promise<ResubmissionResponse> {
    const resubmission = await this.store.create({
      id: uuidv7(),
      filter: toHistoryFilter(dto.filter),
      ratePerSecond: dto.ratePerSecond ?? DEFAULT_RATE_PER_SECOND,
      requestedBy,
    });
    const response = toResubmissionResponse(resubmission);
    // One statement of the store created it, not a transaction of ours: recorded right after.
    await writeAudit(this.db.manager, requestedBy, {
      action: 'resubmission.create',
      targetType: 'resubmission',
      targetId: response.id,
      before: null,
      after: response,
    });
    return response;
  }

  async get(id: string): Promise<ResubmissionResponse> {
    const resubmission = await this.store.get(id);
    if (!resubmission) throw new NotFoundError('resubmission', id);
    return toResubmissionResponse(resubmission);
  }

  async list(query: ListResubmissionsQueryDto): Promise<ResubmissionPageResponse> {
    const page = await this.store.list({ cursor: query.cursor, limit: query.limit });
    return { items: page.items.map(toResubmissionResponse), nextCursor: page.nextCursor };
  }

  /** Messages already resubmitted keep their new run; the rest are left alone. */
  async cancel(id: string, tokenName: string): Promise<ResubmissionResponse> {
    const cancelled = await this.store.cancel(id);
    if (cancelled) {
      const response = toResubmissionResponse(cancelled);
      await writeAudit(this.db.manager, tokenName, {
        action: 'resubmission.cancel',
        targetType: 'resubmission',
        targetId: id,
        before: null,
        after: response,
      });
      return response;
    }
    const resubmission = await this.store.get(id);
    if (!resubmission) throw new NotFoundError('resubmission', id);
    throw new ConflictError('resubmission_finished', `resubmission ${id} is ${resubmission.status} already`);
  }
}
