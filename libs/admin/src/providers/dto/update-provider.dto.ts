import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsNotBlank, IsOmittable, Trim } from '../../validation/validators';
import { ProviderPropertyDto } from './provider-property.dto';

/** Fields left out keep their value; `properties`, when sent, replaces the whole list. */
export class UpdateProviderDto {
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

  @IsBoolean()
  @IsOmittable()
  active?: boolean;

  @IsNotBlank()
  @IsString()
  @IsOmittable()
  matchScript?: string;

  @ValidateNested({ each: true })
  @Type(() => ProviderPropertyDto)
  @IsArray()
  @IsOmittable()
  properties?: ProviderPropertyDto[];
}
