import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, ValidateIf, ValidateNested } from 'class-validator';
import { Between, MatchesPattern, MaxChars } from '../../validation/limits';
import { IsNotBlank, IsOmittable, IsRequired, Trim } from '../../validation/validators';
import { ProviderPropertyDto } from './provider-property.dto';
import { RateLimitDto } from './rate-limit.dto';

/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A year: ids repeated later than that are new deliveries. */
export const MAX_DEDUP_WINDOW_SECONDS = 365 * 24 * 60 * 60;

/** Without `template`, `name` and `matchScript` are required; with one, they come from the template. */
export class CreateProviderDto {
  /** Id of a provider template (`GET /api/v1/provider-templates`): it supplies the match script. */
  @ApiPropertyOptional({
    description: 'Id of a provider template (`GET /api/v1/provider-templates`): it supplies the match script.',
    example: 'github',
  })
  @IsString()
  @IsOmittable()
  template?: string;

  @ApiPropertyOptional({ description: 'Unique. Required without `template`; defaults to its name.' })
  @MaxChars(200)
  @IsNotBlank()
  @IsString()
  @IsRequired()
  @ValidateIf((dto: CreateProviderDto) => dto.template === undefined || dto.name !== undefined)
  @Trim()
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @MaxChars(2000)
  @IsString()
  @IsOptional()
  description?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsBoolean()
  @IsOmittable()
  active?: boolean;

  /** The body of an async function returning true when a message belongs to this provider. */
  @ApiPropertyOptional({
    description:
      'Body of an async function returning true for messages of this provider. Required without `template`, refused with one.',
  })
  @IsNotBlank()
  @IsString()
  @IsRequired()
  @ValidateIf((dto: CreateProviderDto) => dto.template === undefined || dto.matchScript !== undefined)
  matchScript?: string;

  @ApiPropertyOptional({ type: [ProviderPropertyDto], default: [] })
  @ValidateNested({ each: true })
  @Type(() => ProviderPropertyDto)
  @IsArray()
  @IsOmittable()
  properties?: ProviderPropertyDto[];

  /** Header naming a delivery (`X-GitHub-Delivery`, `webhook-id`…): a repeat within the window is a DUPLICATE. */
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Header naming a delivery (`X-GitHub-Delivery`…): a repeat within the window is a DUPLICATE.',
  })
  @MatchesPattern(HEADER_NAME, '$property must be an HTTP header name, like X-GitHub-Delivery')
  @MaxChars(200)
  @IsString()
  @IsOptional()
  dedupHeader?: string | null;

  /** How long after a delivery a repeat of its id is a duplicate (default 86400 with a dedupHeader). */
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Default 86400 with a dedupHeader.',
  })
  @Between(1, MAX_DEDUP_WINDOW_SECONDS)
  @IsInt()
  @IsOptional()
  dedupWindowSeconds?: number | null;

  /** Off (null) by default. */
  @ApiPropertyOptional({
    type: RateLimitDto,
    nullable: true,
    description:
      'Ingress rate limit of webhooks sent to the URIs of its active functions (429 beyond it, not stored). Null or absent: none.',
  })
  @ValidateNested()
  @Type(() => RateLimitDto)
  @IsObject()
  @IsOptional()
  rateLimit?: RateLimitDto | null;
}
