import type { RateLimit } from '@hookline/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The deduplication window of a provider that names a dedup header but no window: one day. */
export const DEFAULT_DEDUP_WINDOW_SECONDS = 86_400;

/** The window a provider deduplicates over, or null when it does not deduplicate. */
export const effectiveDedupWindowSeconds = (provider: Pick<ProviderEntity, 'dedupHeader' | 'dedupWindowSeconds'>) =>
  provider.dedupHeader ? (provider.dedupWindowSeconds ?? DEFAULT_DEDUP_WINDOW_SECONDS) : null;

export interface ProviderProperty {
  name: string;
  value: string;
  secret: boolean;
}

@Entity('providers')
export class ProviderEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { unique: true })
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('boolean', { default: true })
  active: boolean;

  /** Evaluation order: lower first. */
  @Column('integer')
  sequence: number;

  @Column('text', { name: 'match_script' })
  matchScript: string;

  @Column('jsonb', { default: () => "'[]'" })
  properties: ProviderProperty[];

  /** Header naming a delivery (`X-GitHub-Delivery`, `webhook-id`…); a repeat of one is a DUPLICATE. */
  @Column('text', { name: 'dedup_header', nullable: true })
  dedupHeader: string | null;

  /** How long after a delivery a repeat counts as its duplicate; null: DEFAULT_DEDUP_WINDOW_SECONDS. */
  @Column('integer', { name: 'dedup_window_seconds', nullable: true })
  dedupWindowSeconds: number | null;

  /** Ingress rate limit of webhooks sent to the URIs of its active functions; null: none. */
  @Column('jsonb', { name: 'rate_limit', nullable: true })
  rateLimit: RateLimit | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
