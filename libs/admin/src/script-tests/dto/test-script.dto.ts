import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { OneOf } from '../../validation/limits';
import type { ScriptTestEffect, ScriptTestError, ScriptTestOutcome } from '@hookline/contracts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** A request made up for a test, as a sender would have sent it. */
@ApiSchema({ name: 'ScriptTestRequest' })
export class SampleRequestDto {
  @ApiPropertyOptional({ default: 'POST' })
  @IsOptional()
  @OneOf(METHODS)
  method?: string;

  @ApiPropertyOptional({ description: "The path after the webhook prefix; default: the function's URI." })
  @IsOptional()
  @IsString()
  uri?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  query?: Record<string, string>;

  @ApiPropertyOptional({ description: 'The body as UTF-8 text.', default: '' })
  @IsOptional()
  @IsString()
  body?: string;
}

/** What to run and against what: a stored message (`messageId`) or a made-up `request`. */
@ApiSchema({ name: 'ScriptTest' })
export class TestScriptDto {
  @ApiPropertyOptional({ description: 'The script to run (edited, not yet saved); default: the saved one.' })
  @IsOptional()
  @IsString()
  script?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A stored message to run it against (needs `details`).' })
  @IsOptional()
  @IsUUID()
  messageId?: string;

  @ApiPropertyOptional({ type: SampleRequestDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SampleRequestDto)
  request?: SampleRequestDto;
}

/** A side effect the script asked for; in a test it is recorded, never performed. */
@ApiSchema({ name: 'ScriptTestEffect' })
export class SideEffectResponse implements ScriptTestEffect {
  @ApiProperty({ enum: ['KAFKA.publish', 'HTTP.request'] })
  type: 'KAFKA.publish' | 'HTTP.request';

  @ApiPropertyOptional({ description: 'KAFKA.publish: the topic.' })
  topic?: string;

  @ApiPropertyOptional({ description: 'KAFKA.publish: the value.' })
  value?: unknown;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'KAFKA.publish: the record key.' })
  key?: string | null;

  @ApiPropertyOptional({ description: 'HTTP.request: the method.' })
  method?: string;

  @ApiPropertyOptional({ description: 'HTTP.request: the URL.' })
  url?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  headers?: Record<string, string>;

  @ApiPropertyOptional({ description: 'HTTP.request: the body.' })
  body?: string;
}

@ApiSchema({ name: 'ScriptTestError' })
export class ScriptTestErrorResponse implements ScriptTestError {
  @ApiProperty({ example: 'TypeError' })
  name: string;

  @ApiProperty({ description: 'One readable line, with the script position when there is one.' })
  message: string;

  @ApiPropertyOptional({ description: '1-based line in the script.' })
  line?: number;

  @ApiPropertyOptional({ description: '1-based column in the script.' })
  column?: number;

  @ApiPropertyOptional({ enum: ['timeout', 'memory', 'cpu', 'output'], description: 'The limit that ended the run.' })
  limit?: string;
}

/** What a test run did: as a real run would have, minus the side effects, which are listed. */
@ApiSchema({ name: 'ScriptTestResult' })
export class ScriptTestResultResponse implements ScriptTestOutcome {
  @ApiProperty({ description: 'false: it threw, timed out or hit a limit.' })
  ok: boolean;

  @ApiPropertyOptional({ description: 'Match scripts: whether it returned exactly `true`.' })
  matched?: boolean;

  @ApiProperty({ description: 'What the script returned (JSON), or null.' })
  result: unknown;

  @ApiProperty({ type: String, nullable: true, description: 'Set by `LOG.setMessage`.' })
  message: string | null;

  @ApiProperty({ description: 'The LOG lines: `{ level, text, at }`; secret property values masked.' })
  logs: Array<{ level: string; text: string; at: string }>;

  @ApiProperty({ type: ScriptTestErrorResponse, nullable: true })
  error: ScriptTestErrorResponse | null;

  @ApiProperty({ type: [SideEffectResponse], description: 'What it would have published or requested.' })
  effects: SideEffectResponse[];

  @ApiProperty({ nullable: true, description: 'Function scripts: what `RESPONSE.*` shaped for a sync reply.' })
  response: unknown;

  @ApiProperty()
  durationMs: number;
}
