import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../../auth/roles';
import { IsNotBlank, IsOmittable, IsRequired, Trim } from '../../validation/validators';

export class CreateTokenDto {
  @ApiProperty({
    description: 'Unique (ignoring case); recorded as who did what (`resubmittedBy`, the audit log). Not `admin`.',
    maxLength: 100,
    example: 'ci-deploy',
  })
  @MaxLength(100)
  @IsNotBlank()
  @IsString()
  @IsRequired()
  @Trim()
  name: string;

  @ApiProperty({
    enum: ROLES,
    description: '`viewer` reads; `operator` also resubmits; `admin` also changes configuration and tokens.',
  })
  @IsIn(ROLES, { message: `$property must be one of ${ROLES.join(', ')}` })
  @IsRequired()
  role: Role;

  @ApiPropertyOptional({
    default: false,
    description: 'May see message headers, query strings and payloads.',
  })
  @IsBoolean()
  @IsOmittable()
  details?: boolean;
}
