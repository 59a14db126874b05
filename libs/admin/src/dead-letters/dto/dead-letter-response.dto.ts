import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { DeadLetterRecord } from '@hookline/persistence';

/** A record a consumer gave up on; `headers` and `value` only with the `details` permission. */
@ApiSchema({ name: 'DeadLetter' })
export class DeadLetterResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'The consumer group that gave up.', example: 'hookline-executor' })
  groupId: string;

  @ApiProperty({ example: 'hookline.jobs.v1' })
  sourceTopic: string;

  @ApiProperty()
  partition: number;

  @ApiProperty()
  offset: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The message the record concerns.' })
  messageId: string | null;

  @ApiProperty({ description: 'Attempts made before giving up.' })
  attempts: number;

  @ApiProperty({ description: "The last attempt's error." })
  error: string;

  @ApiProperty({ format: 'date-time' })
  failedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  retriedAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The token that retried it.' })
  retriedBy: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  headers?: Record<string, string>;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The record value, base64.' })
  value?: string | null;
}

@ApiSchema({ name: 'DeadLetterPage' })
export class DeadLetterPageResponse {
  @ApiProperty({ type: [DeadLetterResponse] })
  items: DeadLetterResponse[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Pass as `cursor` for the next page.' })
  nextCursor: string | null;
}

@ApiSchema({ name: 'DeadLetterRetry' })
export class DeadLetterRetryResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    enum: ['resubmitted', 'republished'],
    description: 'A record about a message resubmits the message (a new run); any other is published again as it was.',
  })
  action: 'resubmitted' | 'republished';

  @ApiPropertyOptional({ description: 'The new run, when the message was resubmitted.' })
  run?: number;
}

export function toDeadLetterResponse(record: DeadLetterRecord, details: boolean): DeadLetterResponse {
  return {
    id: record.deadLetterId,
    groupId: record.groupId,
    sourceTopic: record.sourceTopic,
    partition: record.partition,
    offset: record.offset,
    messageId: record.messageId,
    attempts: record.attempts,
    error: record.error,
    failedAt: record.failedAt,
    retriedAt: record.retriedAt,
    retriedBy: record.retriedBy,
    ...(details ? { headers: record.headers, value: record.value } : {}),
  };
}
