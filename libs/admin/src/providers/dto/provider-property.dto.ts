import { IsBoolean, IsString } from 'class-validator';
import { IsJsIdentifier, IsOmittable, IsRequired } from '../../validation/validators';

export class ProviderPropertyDto {
  @IsJsIdentifier()
  @IsString()
  @IsRequired()
  name: string;

  /** For a secret, `"****"` keeps the value stored under the same name. */
  @IsString()
  @IsRequired()
  value: string;

  @IsBoolean()
  @IsOmittable()
  secret?: boolean;
}
