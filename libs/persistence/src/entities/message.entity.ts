import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MessageStatus } from '@hookline/contracts';

export interface ScriptLogLine {
  level: string;
  text: string;
  at: string;
}

@Entity('messages')
export class MessageEntity {
  /** UUIDv7: time-ordered, so id order is arrival order. */
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  method: string;

  @Column('text')
  uri: string;

  @Column('jsonb')
  query: Record<string, string | string[]>;

  @Column('jsonb')
  headers: Record<string, string>;

  @Column('text', { name: 'remote_addr' })
  remoteAddr: string;

  @Column('text', { name: 'content_type', nullable: true })
  contentType: string | null;

  @Column('bytea')
  body: Buffer;

  @Column('timestamptz', { name: 'received_at' })
  receivedAt: Date;

  @Column('text')
  status: MessageStatus;

  @Column('uuid', { name: 'provider_id', nullable: true })
  providerId: string | null;

  @Column('text', { name: 'provider_name', nullable: true })
  providerName: string | null;

  /** Why the message ended as it did: no provider matched, a match script failed… */
  @Column('text', { nullable: true })
  message: string | null;

  /** Log of the match scripts of the latest run. */
  @Column('jsonb', { name: 'match_log', default: () => "'[]'" })
  matchLog: ScriptLogLine[];

  /** 0 for the original delivery; each resubmission adds one. */
  @Column('integer', { default: 0 })
  run: number;

  /** When the current run began: the arrival, or the latest resubmission. */
  @Column('timestamptz', { name: 'run_started_at' })
  runStartedAt: Date;

  /** Jobs of the current run not yet finished. */
  @Column('integer', { name: 'pending_jobs', default: 0 })
  pendingJobs: number;

  /** Jobs of the current run that failed so far. */
  @Column('integer', { name: 'failed_jobs', default: 0 })
  failedJobs: number;

  /** Null until the broker acknowledged the current run's record (the outbox relays the rest). */
  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;

  /** Correlation of a sync request waiting for the current run, if any. */
  @Column('text', { name: 'reply_to', nullable: true })
  replyTo: string | null;

  @Column('text', { name: 'resubmitted_by', nullable: true })
  resubmittedBy: string | null;

  /** `<providerId>:<value of the provider's dedup header>`, when the matched provider deduplicates. */
  @Column('text', { name: 'dedup_key', nullable: true })
  dedupKey: string | null;

  /** For a DUPLICATE: the message it repeats (null again once that one is purged). */
  @Column('uuid', { name: 'duplicate_of', nullable: true })
  duplicateOf: string | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
