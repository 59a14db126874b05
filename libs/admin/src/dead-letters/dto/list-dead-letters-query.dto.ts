import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { DEFAULT_PAGE_SIZE, PageCursor, PageLimit } from '../../messages/dto/history-filter.dto';
import { IsOmittable } from '../../validation/validators';

export class ListDeadLettersQueryDto {
  @PageLimit()
  limit: number = DEFAULT_PAGE_SIZE;

  @PageCursor()
  cursor?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only dead letters about this message.' })
  @IsUUID('all')
  @IsOmittable()
  messageId?: string;
}
