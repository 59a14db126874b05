import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { MaxChars } from '../../validation/limits';
import { IsNotBlank, IsOmittable, IsRequired, Trim } from '../../validation/validators';
import { IsFunctionUri } from './function-uri';
import { RetryPolicyDto } from './retry-policy.dto';

export class CreateFunctionDto {
  @ApiProperty()
  @MaxChars(200)
  @IsNotBlank()
  @IsString()
  @IsRequired()
  @Trim()
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @MaxChars(2000)
  @IsString()
  @IsOptional()
  description?: string | null;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: '$property must be the id of a provider' })
  @IsRequired()
  providerId: string;

  @ApiProperty({ description: 'Slashes at either end are removed; no query string.', example: 'git/push' })
  @IsFunctionUri()
  @IsRequired()
  uri: string;

  @ApiPropertyOptional({ default: true })
  @IsBoolean()
  @IsOmittable()
  active?: boolean;

  /** The body of an async function run for each message of the provider sent to `uri`. */
  @ApiProperty({ description: 'Body of an async function run for each message of the provider sent to `uri`.' })
  @IsNotBlank()
  @IsString()
  @IsRequired()
  script: string;

  /** Off (null) by default, as in FlexDeploy. */
  @ApiPropertyOptional({
    type: RetryPolicyDto,
    nullable: true,
    description: 'Tries a failed run again (script error, timeout, sandbox limit). Null or absent: never.',
  })
  @ValidateNested()
  @Type(() => RetryPolicyDto)
  @IsObject()
  @IsOptional()
  retry?: RetryPolicyDto | null;
}
