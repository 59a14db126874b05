import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString } from 'class-validator';
import { ROLES, type Role } from '../../auth/roles';
import { MaxChars, OneOf } from '../../validation/limits';
import { IsNotBlank, IsOmittable, IsRequired, Trim } from '../../validation/validators';

export class CreateTokenDto {
  @ApiProperty({
    description: 'Unique (ignoring case); recorded as who did what (`resubmittedBy`, the audit log). Not `admin`.',
    example: 'ci-deploy',
  })
  @MaxChars(100)
  @IsNotBlank()
  @IsString()
  @IsRequired()
  @Trim()
  name: string;

  @ApiProperty({
    description: '`viewer` reads; `operator` also resubmits; `admin` also changes configuration and tokens.',
  })
  @OneOf(ROLES)
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
