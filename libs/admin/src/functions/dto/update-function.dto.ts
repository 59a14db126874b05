import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { ApiFieldDocs } from '../../openapi/mapped-type-docs';
import { IsOmittable } from '../../validation/validators';
import { CreateFunctionDto } from './create-function.dto';

/**
 * Fields left out keep their value. The fields and limits of a creation, each optional: null
 * clears those that may be null (`description`, `retry`) and is refused for the others.
 */
@ApiFieldDocs<UpdateFunctionDto>({ active: { default: undefined } })
export class UpdateFunctionDto extends PartialType(OmitType(CreateFunctionDto, ['providerId'] as const), {
  // Absent keeps a value; null is validated, so it clears only where the create DTO allows null.
  skipNullProperties: false,
}) {
  /** A function cannot move to another provider; accepted when unchanged, so a client can send back what it read. */
  @ApiPropertyOptional({ format: 'uuid', description: "Accepted only when it is the function's provider already." })
  @IsString()
  @IsOmittable()
  providerId?: string;
}
