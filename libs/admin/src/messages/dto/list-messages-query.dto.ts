import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUUID, Max, Min } from 'class-validator';
import { MessageStatus } from '@hookline/contracts';
import { normaliseUri } from '@hookline/ingestion';
import { IsOmittable } from '../../validation/validators';

export const MAX_PAGE_SIZE = 200;

export class ListMessagesQueryDto {
  @Max(MAX_PAGE_SIZE)
  @Min(1)
  @IsInt()
  @IsOmittable()
  @Type(() => Number)
  limit: number = 50;

  /** `nextCursor` of the previous page: the id of its last (oldest) message. */
  @IsUUID('all', { message: '$property must be the nextCursor of a previous page' })
  @IsOmittable()
  cursor?: string;

  @IsIn(Object.values(MessageStatus), {
    message: `$property must be one of ${Object.values(MessageStatus).join(', ')}`,
  })
  @IsOmittable()
  status?: MessageStatus;

  @IsUUID('all', { message: '$property must be the id of a provider' })
  @IsOmittable()
  providerId?: string;

  /** Compared like function URIs: `/git/push/` finds `git/push`. */
  @IsString()
  @IsOmittable()
  @Transform(({ value }) => (typeof value === 'string' ? normaliseUri(value) : value))
  uri?: string;
}
