import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString } from 'class-validator';
import { IsJsIdentifier, IsOmittable, IsRequired } from '../../validation/validators';

export class ProviderPropertyDto {
  @ApiProperty({ description: 'A JavaScript identifier, unique within the provider.', example: 'WEBHOOK_SECRET' })
  @IsJsIdentifier()
  @IsString()
  @IsRequired()
  name: string;

  /** For a secret, `"****"` keeps the value stored under the same name. */
  @ApiProperty({ description: 'For a secret, `"****"` keeps the value stored under the same name.' })
  @IsString()
  @IsRequired()
  value: string;

  @ApiPropertyOptional({ default: false, description: 'Stored encrypted and shown as `"****"`.' })
  @IsBoolean()
  @IsOmittable()
  secret?: boolean;
}
