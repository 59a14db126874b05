import type { RateLimit } from '@hookline/contracts';
import { effectiveDedupWindowSeconds, type ProviderEntity, type ProviderProperty } from '@hookline/persistence';
import { maskSecrets } from '../provider-properties';

export interface ProviderResponse {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  sequence: number;
  matchScript: string;
  /** Secret values read `"****"`. */
  properties: ProviderProperty[];
  /** Null: the provider does not deduplicate. */
  dedupHeader: string | null;
  /** The window in effect: null without a dedupHeader. */
  dedupWindowSeconds: number | null;
  /** Null: no ingress rate limit. */
  rateLimit: RateLimit | null;
  createdAt: string;
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
