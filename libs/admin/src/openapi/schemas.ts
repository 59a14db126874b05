import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { RetryPolicyDto } from '../functions/dto/retry-policy.dto';
import { RateLimitDto } from '../providers/dto/rate-limit.dto';
import type { ApiErrorBody } from '../errors/api-error';
import type { ExecutionPageResponse, ExecutionSummaryResponse } from '../executions/dto/execution-summary-response.dto';
import type { FunctionResponse } from '../functions/dto/function-response.dto';
import type {
  ExecutionResponse,
  MessageDetailResponse,
  MessageFunctionResponse,
  MessagePageResponse,
  MessageSummaryResponse,
} from '../messages/dto/message-response.dto';
import type { ProviderTemplate, TemplateProperty } from '../provider-templates/provider-templates';
import type { ProviderResponse } from '../providers/dto/provider-response.dto';
import type {
  ResubmissionFilterResponse,
  ResubmissionPageResponse,
  ResubmissionResponse,
} from '../resubmissions/dto/resubmission-response.dto';

// The shapes of responses for the OpenAPI document. The responses themselves are built as plain
// objects typed by interfaces; each class here implements its interface, so the compiler notices
// when a field is added there and not here.

const NullableString = (description?: string) => ApiProperty({ type: String, nullable: true, description });
const Time = (description?: string) => ApiProperty({ type: String, format: 'date-time', description });
const NullableTime = (description?: string) =>
  ApiProperty({ type: String, format: 'date-time', nullable: true, description });
const Uuid = (description?: string) => ApiProperty({ type: String, format: 'uuid', description });
const NullableUuid = (description?: string) =>
  ApiProperty({ type: String, format: 'uuid', nullable: true, description });
const NextCursor = () =>
  ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Pass as `cursor` for the next (older) page; null on the last page.',
  });

@ApiSchema({ name: 'ApiError' })
export class ApiErrorSchema implements ApiErrorBody {
  [detail: string]: unknown;

  @ApiProperty({ description: 'A stable code: `validation_failed`, `unauthorized`, `forbidden`, `not_found`…' })
  error: string;

  @ApiProperty({ description: 'What went wrong, for people.' })
  message: string;

  @ApiPropertyOptional({ description: 'The request field at fault, as a path: `properties[1].name`.' })
  field?: string;
}

@ApiSchema({ name: 'ProviderProperty' })
export class ProviderPropertySchema {
  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'Secret values read `"****"`.' })
  value: string;

  @ApiProperty()
  secret: boolean;
}

@ApiSchema({ name: 'Provider' })
export class ProviderSchema implements ProviderResponse {
  @Uuid()
  id: string;

  @ApiProperty()
  name: string;

  @NullableString()
  description: string | null;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ description: 'Evaluation order, lowest first.' })
  sequence: number;

  @ApiProperty()
  matchScript: string;

  @ApiProperty({ type: [ProviderPropertySchema] })
  properties: ProviderPropertySchema[];

  @NullableString('Header naming a delivery; null: the provider does not deduplicate.')
  dedupHeader: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The window in effect; null without a dedupHeader.' })
  dedupWindowSeconds: number | null;

  @ApiProperty({ type: RateLimitDto, nullable: true, description: 'Null: no ingress rate limit.' })
  rateLimit: RateLimitDto | null;

  @Time()
  createdAt: string;

  @Time()
  updatedAt: string;
}

@ApiSchema({ name: 'TemplateProperty' })
export class TemplatePropertySchema implements TemplateProperty {
  @ApiProperty()
  name: string;

  @ApiProperty()
  secret: boolean;

  @ApiProperty()
  description: string;

  @ApiProperty()
  required: boolean;
}

@ApiSchema({ name: 'ProviderTemplate' })
export class ProviderTemplateSchema implements ProviderTemplate {
  @ApiProperty({ example: 'github' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  description: string;

  @ApiProperty()
  matchScript: string;

  @ApiProperty({ type: [TemplatePropertySchema] })
  properties: TemplatePropertySchema[];
}

@ApiSchema({ name: 'Function' })
export class FunctionSchema implements FunctionResponse {
  @Uuid()
  id: string;

  @ApiProperty()
  name: string;

  @NullableString()
  description: string | null;

  @Uuid()
  providerId: string;

  @ApiProperty({ example: 'git/push' })
  uri: string;

  @ApiProperty()
  active: boolean;

  @ApiProperty()
  script: string;

  @ApiProperty({ type: RetryPolicyDto, nullable: true, description: 'Null: a failed run is not tried again.' })
  retry: RetryPolicyDto | null;

  @Time()
  createdAt: string;

  @Time()
  updatedAt: string;
}

@ApiSchema({ name: 'ScriptLogLine' })
export class ScriptLogLineSchema {
  @ApiProperty({ example: 'INFO' })
  level: string;

  @ApiProperty()
  text: string;

  @Time()
  at: string;
}

@ApiSchema({ name: 'MessageFunction' })
export class MessageFunctionSchema implements MessageFunctionResponse {
  @Uuid('The function id.')
  id: string;

  @ApiProperty({ description: "The function's name when the run was planned." })
  name: string;

  @ApiProperty({ example: 'SUCCESS', description: "Its execution's status: PENDING, RUNNING, SUCCESS or FAILED." })
  status: string;
}

@ApiSchema({ name: 'MessageSummary' })
export class MessageSummarySchema implements MessageSummaryResponse {
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
    type: [MessageFunctionSchema],
    description: 'The functions the latest run executes, in the order they were planned; empty when none matched.',
  })
  functions: MessageFunctionSchema[];

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
export class MessagePageSchema implements MessagePageResponse {
  @ApiProperty({ type: [MessageSummarySchema] })
  items: MessageSummarySchema[];

  @NextCursor()
  nextCursor: string | null;
}

@ApiSchema({ name: 'Execution' })
export class ExecutionSchema implements ExecutionResponse {
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

  @ApiProperty({ type: [ScriptLogLineSchema] })
  logs: ScriptLogLineSchema[];

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

@ApiSchema({ name: 'MessageDetail' })
export class MessageDetailSchema implements Partial<MessageDetailResponse> {
  @Uuid()
  id: string;

  @ApiProperty()
  method: string;

  @ApiProperty()
  uri: string;

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

  @ApiProperty({ type: [ScriptLogLineSchema] })
  matchLog: ScriptLogLineSchema[];

  @ApiProperty()
  run: number;

  @NullableUuid('For a DUPLICATE: the message it repeats.')
  duplicateOf: string | null;

  @ApiProperty({ type: [ExecutionSchema] })
  executions: ExecutionSchema[];
}

@ApiSchema({ name: 'Resubmit' })
export class ResubmitSchema {
  @Uuid()
  messageId: string;

  @ApiProperty({ description: 'The new run.' })
  run: number;
}

@ApiSchema({ name: 'ExecutionSummary' })
export class ExecutionSummarySchema implements ExecutionSummaryResponse {
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
export class ExecutionPageSchema implements ExecutionPageResponse {
  @ApiProperty({ type: [ExecutionSummarySchema] })
  items: ExecutionSummarySchema[];

  @NextCursor()
  nextCursor: string | null;
}

@ApiSchema({ name: 'ResubmissionFilter' })
export class ResubmissionFilterSchema implements ResubmissionFilterResponse {
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
export class ResubmissionSchema implements ResubmissionResponse {
  @Uuid()
  id: string;

  @ApiProperty({ type: ResubmissionFilterSchema })
  filter: ResubmissionFilterSchema;

  @ApiProperty()
  ratePerSecond: number;

  @ApiProperty({ enum: ['PENDING', 'RUNNING', 'DONE', 'FAILED', 'CANCELLED'] })
  status: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Messages that matched when it started.' })
  total: number | null;

  @ApiProperty()
  done: number;

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
export class ResubmissionPageSchema implements ResubmissionPageResponse {
  @ApiProperty({ type: [ResubmissionSchema] })
  items: ResubmissionSchema[];

  @NextCursor()
  nextCursor: string | null;
}
