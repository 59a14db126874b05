import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type {
  ExecutionEntity,
  MessageEntity,
  MessageFunction,
  MessageSummary,
  ScriptLogLine,
} from '@hookline/persistence';
import { NextCursor, NullableString, NullableTime, NullableUuid, Time, Uuid } from '../../openapi/api-properties';

@ApiSchema({ name: 'ScriptLogLine' })
export class ScriptLogLineResponse implements ScriptLogLine {
  @ApiProperty({ example: 'INFO' })
  level: string;

  @ApiProperty()
  text: string;

  @Time()
  at: string;
}

/** A function of the message's latest run: its id and name, and its execution's status. */
@ApiSchema({ name: 'MessageFunction' })
export class MessageFunctionResponse implements MessageFunction {
  @Uuid('The function id.')
  id: string;

  @ApiProperty({ description: "The function's name when the run was planned." })
  name: string;

  @ApiProperty({ example: 'SUCCESS', description: "Its execution's status: PENDING, RUNNING, SUCCESS or FAILED." })
  status: string;
}

/** One line of the message list. */
@ApiSchema({ name: 'MessageSummary' })
export class MessageSummaryResponse {
  @Uuid()
  id: string;

  @ApiProperty()
  method: string;

  @ApiProperty()
  uri: string;

  @Time()
  receivedAt: string;

  @ApiProperty({ example: 'SUCCESS' })
  status: string;

  @NullableUuid()
  providerId: string | null;

  @NullableString()
  providerName: string | null;

  @NullableString()
  message: string | null;

  @ApiProperty()
  remoteAddr: string;

  @ApiProperty({ description: '0 for the original delivery; each resubmission adds one.' })
  run: number;

  @ApiProperty({
    type: [MessageFunctionResponse],
    description: 'The functions the latest run executes, in the order they were planned; empty when none matched.',
  })
  functions: MessageFunctionResponse[];

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Milliseconds from the start of the latest run (the arrival, or the resubmission) to its end; null while it runs.',
  })
  durationMs: number | null;

  @NullableString('The name of the token that started the latest run by resubmitting; null for the original delivery.')
  resubmittedBy: string | null;
}

@ApiSchema({ name: 'MessagePage' })
export class MessagePageResponse {
  @ApiProperty({ type: [MessageSummaryResponse] })
  items: MessageSummaryResponse[];

  @NextCursor()
  nextCursor: string | null;
}

@ApiSchema({ name: 'Execution' })
export class ExecutionResponse {
  @Uuid()
  id: string;

  @Uuid()
  functionId: string;

  @ApiProperty()
  functionName: string;

  @ApiProperty({ example: 'SUCCESS' })
  status: string;

  @NullableString()
  message: string | null;

  @ApiProperty({ type: [ScriptLogLineResponse] })
  logs: ScriptLogLineResponse[];

  @ApiProperty({ nullable: true, description: 'What the function returned: any JSON value.' })
  result: unknown;

  @NullableString()
  error: string | null;

  @ApiProperty({ type: Number, nullable: true })
  durationMs: number | null;

  @ApiProperty({
    description: 'How many times an executor started this try (more than one after one stopped mid-run).',
  })
  attempt: number;

  @ApiProperty({
    minimum: 1,
    description:
      "1 for the function's first try in the run; each retry of its retry policy is a new execution with the next.",
  })
  try: number;

  /** Set while this try waits for its retry backoff. */
  @NullableTime()
  dueAt: string | null;

  @ApiProperty({ description: '0 for the original delivery; each resubmission adds one.' })
  run: number;

  @NullableTime()
  startedAt: string | null;

  @NullableTime()
  finishedAt: string | null;

  @NullableString('The name of the token that resubmitted the run.')
  resubmittedBy: string | null;
}

/** A message without its body (see `/payload`), with the executions of every run. */
@ApiSchema({ name: 'MessageDetail' })
export class MessageDetailResponse {
  @Uuid()
  id: string;

  @ApiProperty()
  method: string;

  @ApiProperty()
  uri: string;

  // Optional: answered only to tokens with `details` (see auth/message-details.ts).
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Only for tokens with the `details` permission; absent otherwise.',
  })
  query?: Record<string, string | string[]>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Only for tokens with the `details` permission; absent otherwise.',
  })
  headers?: Record<string, string>;

  @ApiProperty()
  remoteAddr: string;

  @NullableString()
  contentType: string | null;

  @Time()
  receivedAt: string;

  @ApiProperty({ example: 'FAILED' })
  status: string;

  @NullableUuid()
  providerId: string | null;

  @NullableString()
  providerName: string | null;

  @NullableString()
  message: string | null;

  @ApiProperty({ type: [ScriptLogLineResponse] })
  matchLog: ScriptLogLineResponse[];

  @ApiProperty()
  run: number;

  @NullableUuid('For a DUPLICATE: the message it repeats.')
  duplicateOf: string | null;

  @ApiProperty({ type: [ExecutionResponse] })
  executions: ExecutionResponse[];
}

/** The answer to resubmitting one message. */
@ApiSchema({ name: 'Resubmit' })
export class ResubmitResponse {
  @Uuid()
  messageId: string;

  @ApiProperty({ description: 'The new run.' })
  run: number;
}

export const toMessageSummaryResponse = (m: MessageSummary): MessageSummaryResponse => ({
  id: m.id,
  method: m.method,
  uri: m.uri,
  receivedAt: m.receivedAt.toISOString(),
  status: m.status,
  providerId: m.providerId,
  providerName: m.providerName,
  message: m.message,
  remoteAddr: m.remoteAddr,
  run: m.run,
  functions: m.functions,
  durationMs: m.durationMs,
  resubmittedBy: m.resubmittedBy,
});

export const toExecutionResponse = (e: ExecutionEntity): ExecutionResponse => ({
  id: e.id,
  functionId: e.functionId,
  functionName: e.functionName,
  status: e.status,
  message: e.message,
  logs: e.logs,
  result: e.result,
  error: e.error,
  durationMs: e.durationMs,
  attempt: e.attempt,
  try: e.try,
  dueAt: e.dueAt?.toISOString() ?? null,
  run: e.run,
  startedAt: e.startedAt?.toISOString() ?? null,
  finishedAt: e.finishedAt?.toISOString() ?? null,
  resubmittedBy: e.resubmittedBy,
});

/** With `query` and `headers`: the controller leaves them out for tokens without `details`. */
export const toMessageDetailResponse = (m: MessageEntity, executions: ExecutionEntity[]): MessageDetailResponse => ({
  id: m.id,
  method: m.method,
  uri: m.uri,
  query: m.query,
  headers: m.headers,
  remoteAddr: m.remoteAddr,
  contentType: m.contentType,
  receivedAt: m.receivedAt.toISOString(),
  status: m.status,
  providerId: m.providerId,
  providerName: m.providerName,
  message: m.message,
  matchLog: m.matchLog,
  run: m.run,
  duplicateOf: m.duplicateOf ?? null,
  executions: executions.map(toExecutionResponse),
});
