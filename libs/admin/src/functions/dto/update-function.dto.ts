import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { MaxChars } from '../../validation/limits';
import { IsNotBlank, IsOmittable, Trim } from '../../validation/validators';
import { IsFunctionUri } from './function-uri';
import { RetryPolicyDto } from './retry-policy.dto';

/** Fields left out keep their value. A function cannot move to another provider. */
export class UpdateFunctionDto {
  @ApiPropertyOptional()
  @MaxChars(200)
  @IsNotBlank()
  @IsString()
  @IsOmittable()
  @Trim()
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @MaxChars(2000)
  @IsString()
  @IsOptional()
  description?: string | null;

  /** Accepted only when it is the function's provider already, so a client can send back what it read. */
  @ApiPropertyOptional({ format: 'uuid', description: "Accepted only when it is the function's provider already." })
  @IsString()
  @IsOmittable()
  providerId?: string;

  @ApiPropertyOptional({ example: 'git/push' })
  @IsFunctionUri()
  @IsOmittable()
  uri?: string;

  @ApiPropertyOptional()
  @IsBoolean()
  @IsOmittable()
  active?: boolean;

  @ApiPropertyOptional()
  @IsNotBlank()
  @IsString()
  @IsOmittable()
  script?: string;

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
