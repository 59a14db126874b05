import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IsOmittable } from '../../validation/validators';

export class ListFunctionsQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the functions of this provider.' })
  @IsUUID('all', { message: '$property must be the id of a provider' })
  @IsOmittable()
  providerId?: string;
}
