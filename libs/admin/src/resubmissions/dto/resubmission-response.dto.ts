import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ResubmissionStatus, type HistoryFilter, type Resubmission } from '@hookline/persistence';
import { NextCursor, NullableString, NullableTime, Time, Uuid } from '../../openapi/api-properties';

/** The filter as it was sent (times in ISO 8601, UTC). */
@ApiSchema({ name: 'ResubmissionFilter' })
export class ResubmissionFilterResponse implements Omit<HistoryFilter, 'from' | 'to'> {
  @ApiPropertyOptional()
  status?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  providerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  functionId?: string;

  @ApiPropertyOptional()
  uri?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  to?: string;

  @ApiPropertyOptional()
  q?: string;
}

@ApiSchema({ name: 'Resubmission' })
export class ResubmissionResponse {
  @Uuid()
  id: string;

  @ApiProperty({ type: ResubmissionFilterResponse })
  filter: ResubmissionFilterResponse;

  @ApiProperty()
  ratePerSecond: number;

  @ApiProperty({ enum: Object.values(ResubmissionStatus) })
  status: ResubmissionStatus;

  /** Null until the operation has started. */
  @ApiProperty({ type: Number, nullable: true, description: 'Messages that matched when it started.' })
  total: number | null;

  @ApiProperty()
  done: number;

  /** Messages still being processed, or deleted, when their turn came. */
  @ApiProperty()
  skipped: number;

  @ApiProperty()
  failed: number;

  @ApiProperty({ description: 'The name of the token that started it.' })
  requestedBy: string;

  @NullableString()
  lastError: string | null;

  @Time()
  createdAt: string;

  @NullableTime()
  startedAt: string | null;

  @NullableTime()
  finishedAt: string | null;
}

@ApiSchema({ name: 'ResubmissionPage' })
export class ResubmissionPageResponse {
  @ApiProperty({ type: [ResubmissionResponse] })
  items: ResubmissionResponse[];

  @NextCursor()
  nextCursor: string | null;
}

export const toResubmissionResponse = (r: Resubmission): ResubmissionResponse => ({
  id: r.id,
  filter: {
    status: r.filter.status,
    providerId: r.filter.providerId,
    functionId: r.filter.functionId,
    uri: r.filter.uri,
    from: r.filter.from?.toISOString(),
    to: r.filter.to?.toISOString(),
    q: r.filter.q,
  },
  ratePerSecond: r.ratePerSecond,
  status: r.status,
  total: r.total,
  done: r.done,
  skipped: r.skipped,
  failed: r.failed,
  requestedBy: r.requestedBy,
  lastError: r.lastError,
  createdAt: r.createdAt.toISOString(),
  startedAt: r.startedAt?.toISOString() ?? null,
  finishedAt: r.finishedAt?.toISOString() ?? null,
});
