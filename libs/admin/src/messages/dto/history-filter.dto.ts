import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsString, IsUUID, Matches, ValidateBy } from 'class-validator';
import { ExecutionStatus, MessageStatus, normaliseUri } from '@hookline/contracts';
import type { HistoryFilter } from '@hookline/persistence';
import { Between, MaxChars, OneOf } from '../../validation/limits';
import { IsOmittable } from '../../validation/validators';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** A date (`2026-11-29`, midnight UTC) or a date and time with its offset (`2026-11-29T10:00:00Z`). */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Date.parse alone takes `2026-02-30` for March 2nd. */
function isIsoTime(value: unknown): value is string {
  const match = typeof value === 'string' ? ISO_TIME.exec(value) : null;
  if (!match || Number.isNaN(Date.parse(value as string))) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const IsIsoTime = (): PropertyDecorator =>
  ValidateBy({
    name: 'isIsoTime',
    validator: {
      validate: isIsoTime,
      defaultMessage: () => '$property must be an ISO 8601 time with its offset, like 2026-11-29T10:00:00Z, or a date',
    },
  });

const IsAfterFrom = (): PropertyDecorator =>
  ValidateBy({
    name: 'isAfterFrom',
    validator: {
      validate: (value, args) => {
        const from = (args?.object as HistoryFilterDto).from;
        return !isIsoTime(from) || Date.parse(String(value)) > Date.parse(from);
      },
      defaultMessage: () => '$property must be later than from',
    },
  });

/** The filters shared by the message list, the execution list and bulk resubmissions. */
export abstract class HistoryFilterDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only those of messages matched by this provider.' })
  @IsUUID('all', { message: '$property must be the id of a provider' })
  @IsOmittable()
  providerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only those with an execution of this function.' })
  @IsUUID('all', { message: '$property must be the id of a function' })
  @IsOmittable()
  functionId?: string;

  /** Compared like function URIs: `/git/push/` finds `git/push`. */
  @ApiPropertyOptional({ description: 'Only those sent to this URI (slashes at either end are ignored).' })
  @IsString()
  @IsOmittable()
  @Transform(({ value }) => (typeof value === 'string' ? normaliseUri(value) : value))
  uri?: string;

  /** Inclusive. */
  @ApiPropertyOptional({
    description: 'Inclusive: an ISO 8601 time with its offset, or a date (midnight UTC).',
    example: '2026-11-29T10:00:00Z',
  })
  @IsIsoTime()
  @IsOmittable()
  from?: string;

  /** Exclusive. */
  @ApiPropertyOptional({ description: 'Exclusive; later than `from`.', example: '2026-11-29T11:00:00Z' })
  @IsAfterFrom()
  @IsIsoTime()
  @IsOmittable()
  to?: string;

  /** Words that must each start a word of the message text, its URI or its executions' messages. */
  @ApiPropertyOptional({ description: 'Words that must each start a word of the text searched.' })
  @Matches(/[\p{L}\p{N}]/u, { message: '$property must contain a letter or a digit' })
  @MaxChars(200)
  @IsString()
  @IsOmittable()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  q?: string;
}

export class MessageFilterDto extends HistoryFilterDto {
  @ApiPropertyOptional()
  @OneOf(Object.values(MessageStatus))
  @IsOmittable()
  status?: MessageStatus;
}

export class ExecutionFilterDto extends HistoryFilterDto {
  @ApiPropertyOptional()
  @OneOf(Object.values(ExecutionStatus))
  @IsOmittable()
  status?: ExecutionStatus;
}

// `limit` and `cursor` of a list read newest first. Registered in the order decorators listed
// above a property would be (bottom first), which is the order they are checked in.
export const PageLimit = (): PropertyDecorator => (target, key) => {
  for (const decorate of [
    Type(() => Number),
    IsOmittable(),
    IsInt(),
    Between(1, MAX_PAGE_SIZE),
    ApiPropertyOptional({ default: DEFAULT_PAGE_SIZE, description: 'Page size.' }),
  ])
    decorate(target, key);
};

export const PageCursor = (): PropertyDecorator => (target, key) => {
  for (const decorate of [
    IsOmittable(),
    IsUUID('all', { message: '$property must be the nextCursor of a previous page' }),
    ApiPropertyOptional({ format: 'uuid', description: '`nextCursor` of the previous page.' }),
  ]) {
    decorate(target, key);
  }
};

export function toHistoryFilter(dto: MessageFilterDto | ExecutionFilterDto): HistoryFilter {
  return {
    status: dto.status,
    providerId: dto.providerId?.toLowerCase(),
    functionId: dto.functionId?.toLowerCase(),
    uri: dto.uri,
    from: dto.from === undefined ? undefined : new Date(dto.from),
    to: dto.to === undefined ? undefined : new Date(dto.to),
    q: dto.q,
  };
}
