import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { ExecutionSummary } from '@hookline/persistence';
import { NextCursor, NullableString, NullableTime, NullableUuid, Uuid } from '../../openapi/api-properties';

/** One line of the execution list: the execution with its message's URI and provider. */
@ApiSchema({ name: 'ExecutionSummary' })
export class ExecutionSummaryResponse {
  @Uuid()
  id: string;

  @Uuid()
  messageId: string;

  @Uuid()
  functionId: string;

  @ApiProperty()
  functionName: string;

  @ApiProperty({ example: 'FAILED' })
  status: string;

  @NullableString()
  message: string | null;

  @ApiProperty({ type: Number, nullable: true })
  durationMs: number | null;

  @ApiProperty()
  attempt: number;

  @ApiProperty({
    minimum: 1,
    description: "1 for the function's first try; each retry of its retry policy is the next.",
  })
  try: number;

  @ApiProperty()
  run: number;

  @NullableTime()
  startedAt: string | null;

  @NullableTime()
  finishedAt: string | null;

  @NullableString()
  resubmittedBy: string | null;

  @ApiProperty()
  uri: string;

  @NullableUuid()
  providerId: string | null;

  @NullableString()
  providerName: string | null;
}

@ApiSchema({ name: 'ExecutionPage' })
export class ExecutionPageResponse {
  @ApiProperty({ type: [ExecutionSummaryResponse] })
  items: ExecutionSummaryResponse[];

  @NextCursor()
  nextCursor: string | null;
}

// Field by field, not a spread: a field added to ExecutionSummary must not reach the answer undocumented.
export const toExecutionSummaryResponse = (e: ExecutionSummary): ExecutionSummaryResponse => ({
  id: e.id,
  messageId: e.messageId,
  functionId: e.functionId,
  functionName: e.functionName,
  status: e.status,
  message: e.message,
  durationMs: e.durationMs,
  attempt: e.attempt,
  try: e.try,
  run: e.run,
  startedAt: e.startedAt?.toISOString() ?? null,
  finishedAt: e.finishedAt?.toISOString() ?? null,
  resubmittedBy: e.resubmittedBy,
  uri: e.uri,
  providerId: e.providerId,
  providerName: e.providerName,
});
