import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsUUID } from 'class-validator';
import { IsRequired } from '../../validation/validators';

export class ReorderProvidersDto {
  /** Every provider's id, first evaluated first. */
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'Every provider id exactly once, first evaluated first.',
  })
  @IsUUID('all', { each: true, message: 'ids must hold provider ids only' })
  @IsArray()
  @IsRequired()
  ids: string[];
}
