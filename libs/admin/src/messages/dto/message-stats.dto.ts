import { ApiProperty, ApiSchema, PickType } from '@nestjs/swagger';
import { MessageStatus } from '@hookline/contracts';
import { MessageFilterDto } from './history-filter.dto';

/** The range a chart shows when the query names none. */
export const DEFAULT_STATS_RANGE_MS = 24 * 3600_000;
/** A range is cut into at most this many buckets. */
export const MAX_STATS_BUCKETS = 60;

export class MessageStatsQueryDto extends PickType(MessageFilterDto, ['providerId', 'uri', 'from', 'to'] as const) {}

/** Messages of each status; every status is present, zero when none. */
@ApiSchema({ name: 'MessageStatusCounts' })
export class MessageStatusCounts implements Record<MessageStatus, number> {
  @ApiProperty({ type: 'integer' })
  RECEIVED: number;

  @ApiProperty({ type: 'integer' })
  PROCESSING: number;

  @ApiProperty({ type: 'integer' })
  SUCCESS: number;

  @ApiProperty({ type: 'integer' })
  FAILED: number;

  @ApiProperty({ type: 'integer' })
  UNMATCHED: number;

  @ApiProperty({ type: 'integer' })
  DUPLICATE: number;
}

@ApiSchema({ name: 'MessageStatsBucket' })
export class MessageStatsBucket {
  @ApiProperty({ format: 'date-time', description: 'Inclusive; the bucket ends where the next starts.' })
  start: string;

  @ApiProperty({ type: MessageStatusCounts, description: 'Messages received in the bucket, by current status.' })
  counts: MessageStatusCounts;
}

/** Messages per status over a time range, in equal buckets. */
@ApiSchema({ name: 'MessageStats' })
export class MessageStatsResponse {
  @ApiProperty({ format: 'date-time', description: 'Inclusive: `from`, or 24 hours before `to`.' })
  from: string;

  @ApiProperty({ format: 'date-time', description: 'Exclusive: `to`, or now.' })
  to: string;

  @ApiProperty({
    type: 'integer',
    description: `The length of each bucket, chosen from the range so that there are at most ${MAX_STATS_BUCKETS}.`,
    example: 1800,
  })
  bucketSeconds: number;

  @ApiProperty({ type: [MessageStatsBucket], description: 'Oldest first, from `from` to `to`, empty ones included.' })
  buckets: MessageStatsBucket[];
}

export const emptyStatusCounts = (): MessageStatusCounts =>
  Object.fromEntries(Object.values(MessageStatus).map((status) => [status, 0])) as unknown as MessageStatusCounts;
