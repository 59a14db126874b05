import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsNotBlank, IsOmittable, IsRequired, Trim } from '../../validation/validators';
import { IsFunctionUri } from './function-uri';

export class CreateFunctionDto {
  @MaxLength(200)
  @IsNotBlank()
  @IsString()
  @IsRequired()
  @Trim()
  name: string;

  @MaxLength(2000)
  @IsString()
  @IsOptional()
  description?: string | null;

  @IsUUID('all', { message: '$property must be the id of a provider' })
  @IsRequired()
  providerId: string;

  @IsFunctionUri()
  @IsRequired()
  uri: string;

  @IsBoolean()
  @IsOmittable()
  active?: boolean;

  /** The body of an async function run for each message of the provider sent to `uri`. */
  @IsNotBlank()
  @IsString()
  @IsRequired()
  script: string;
}
