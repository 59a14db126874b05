import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsNotBlank, IsOmittable, IsRequired, Trim } from '../../validation/validators';
import { ProviderPropertyDto } from './provider-property.dto';

export class CreateProviderDto {
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

  @IsBoolean()
  @IsOmittable()
  active?: boolean;

  /** The body of an async function returning true when a message belongs to this provider. */
  @IsNotBlank()
  @IsString()
  @IsRequired()
  matchScript: string;

  @ValidateNested({ each: true })
  @Type(() => ProviderPropertyDto)
  @IsArray()
  @IsOmittable()
  properties?: ProviderPropertyDto[];
}
