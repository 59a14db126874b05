import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { DEFAULT_PAGE_SIZE, PageCursor, PageLimit } from '../../messages/dto/history-filter.dto';
import { MaxChars } from '../../validation/limits';
import { IsOmittable } from '../../validation/validators';

export class ListAuditQueryDto {
  @PageLimit()
  limit: number = DEFAULT_PAGE_SIZE;

  @PageCursor()
  cursor?: string;

  @ApiPropertyOptional({ description: 'Only entries of this action.', example: 'provider.update' })
  @MaxChars(100)
  @IsString()
  @IsOmittable()
  action?: string;

  @ApiPropertyOptional({ description: 'Only entries about this provider, function, token, message or resubmission.' })
  @MaxChars(100)
  @IsString()
  @IsOmittable()
  targetId?: string;
}
