import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { Between, MatchesPattern, MaxChars } from '../../validation/limits';
import { IsNotBlank, IsOmittable, Trim } from '../../validation/validators';
import { HEADER_NAME, MAX_DEDUP_WINDOW_SECONDS } from './create-provider.dto';
import { ProviderPropertyDto } from './provider-property.dto';
import { RateLimitDto } from './rate-limit.dto';

/** Fields left out keep their value; `properties`, when sent, replaces the whole list. */
export class UpdateProviderDto {
  @ApiPropertyOptional({ description: 'Unique.' })
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

  @ApiPropertyOptional()
  @IsBoolean()
  @IsOmittable()
  active?: boolean;

  @ApiPropertyOptional()
  @IsNotBlank()
  @IsString()
  @IsOmittable()
  matchScript?: string;

  @ApiPropertyOptional({
    type: [ProviderPropertyDto],
    description: 'Replaces the whole list; `"****"` keeps a secret\'s stored value.',
  })
  @ValidateNested({ each: true })
  @Type(() => ProviderPropertyDto)
  @IsArray()
  @IsOmittable()
  properties?: ProviderPropertyDto[];

  /** Header naming a delivery (`X-GitHub-Delivery`…) whose repeats are DUPLICATEs; null stops deduplicating. */
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Null stops deduplicating.' })
  @MatchesPattern(HEADER_NAME, '$property must be an HTTP header name, like X-GitHub-Delivery')
  @MaxChars(200)
  @IsString()
  @IsOptional()
  dedupHeader?: string | null;

  /** How long after a delivery a repeat of its id is a duplicate (default 86400 with a dedupHeader). */
  @ApiPropertyOptional({ type: Number, nullable: true })
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
