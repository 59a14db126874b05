import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsNotBlank, IsOmittable, Trim } from '../../validation/validators';
import { IsFunctionUri } from './function-uri';

/** Fields left out keep their value. A function cannot move to another provider. */
export class UpdateFunctionDto {
  @MaxLength(200)
  @IsNotBlank()
  @IsString()
  @IsOmittable()
  @Trim()
  name?: string;

  @MaxLength(2000)
  @IsString()
  @IsOptional()
  description?: string | null;

  /** Accepted only when it is the function's provider already, so a client can send back what it read. */
  @IsString()
  @IsOmittable()
  providerId?: string;

  @IsFunctionUri()
  @IsOmittable()
  uri?: string;

  @IsBoolean()
  @IsOmittable()
  active?: boolean;

  @IsNotBlank()
  @IsString()
  @IsOmittable()
  script?: string;
}
