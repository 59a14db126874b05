import { createHash } from 'node:crypto';
import { effectiveDedupWindowSeconds, type DedupClaim, type ProviderEntity } from '@hookline/persistence';

/** Longer delivery ids are keyed by their hash, so that any header value fits the index. */
const MAX_DEDUP_VALUE_LENGTH = 256;

/** The delivery id of a message, when its provider deduplicates and the message carries the header. */
export function dedupClaim(
  provider: Pick<ProviderEntity, 'id' | 'dedupHeader' | 'dedupWindowSeconds'>,
  headers: Record<string, string>,
): DedupClaim | null {
  const windowSeconds = effectiveDedupWindowSeconds(provider);
  if (!provider.dedupHeader || windowSeconds === null) return null;
  const value = headers[provider.dedupHeader.toLowerCase()]?.trim();
  if (!value) return null;
  if (value.length <= MAX_DEDUP_VALUE_LENGTH) {
    return { key: `${provider.id}:${value}`, header: provider.dedupHeader, value, windowSeconds };
  }
  const hash = createHash('sha256').update(value).digest('hex');
  return { key: `${provider.id}:sha256:${hash}`, header: provider.dedupHeader, value: `sha256:${hash}`, windowSeconds };
}
