import type { ProviderEntity, ProviderProperty } from '@hookline/persistence';
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
  createdAt: provider.createdAt.toISOString(),
  updatedAt: provider.updatedAt.toISOString(),
});
