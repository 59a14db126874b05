import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { effectiveDedupWindowSeconds, type ProviderEntity, type ProviderProperty } from '@hookline/persistence';
import { NullableString, Time, Uuid } from '../../openapi/api-properties';
import { maskSecrets } from '../provider-properties';
import { RateLimitDto } from './rate-limit.dto';

@ApiSchema({ name: 'ProviderProperty' })
export class ProviderPropertyResponse implements ProviderProperty {
  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'Secret values read `"****"`.' })
  value: string;

  @ApiProperty()
  secret: boolean;
}

@ApiSchema({ name: 'Provider' })
export class ProviderResponse {
  @Uuid()
  id: string;

  @ApiProperty()
  name: string;

  @NullableString()
  description: string | null;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ description: 'Evaluation order, lowest first.' })
  sequence: number;

  @ApiProperty()
  matchScript: string;

  @ApiProperty({ type: [ProviderPropertyResponse] })
  properties: ProviderPropertyResponse[];

  @NullableString('Header naming a delivery; null: the provider does not deduplicate.')
  dedupHeader: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The window in effect; null without a dedupHeader.' })
  dedupWindowSeconds: number | null;

  @ApiProperty({ type: RateLimitDto, nullable: true, description: 'Null: no ingress rate limit.' })
  rateLimit: RateLimitDto | null;

  @Time()
  createdAt: string;

  @Time()
  updatedAt: string;
}

export const toProviderResponse = (provider: ProviderEntity): ProviderResponse => ({
  id: provider.id,
  name: provider.name,
  description: provider.description,
  active: provider.active,
  sequence: provider.sequence,
  matchScript: provider.matchScript,
  properties: maskSecrets(provider.properties),
  dedupHeader: provider.dedupHeader,
  dedupWindowSeconds: effectiveDedupWindowSeconds(provider),
  rateLimit: provider.rateLimit ?? null,
  createdAt: provider.createdAt.toISOString(),
  updatedAt: provider.updatedAt.toISOString(),
});
