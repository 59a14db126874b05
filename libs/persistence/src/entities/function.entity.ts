import type { RetryPolicy } from '@hookline/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('functions')
@Index('functions_provider_uri', ['providerId', 'uri'])
export class FunctionEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('uuid', { name: 'provider_id' })
  providerId: string;

  /** Compared for equality with the message's URI (no query string, no slashes at either end). */
  @Column('text')
  uri: string;

  @Column('boolean', { default: true })
  active: boolean;

  @Column('text')
  script: string;

  /** Tries again after a failed run (script error, timeout, limit); null: never, as in FlexDeploy. */
  @Column('jsonb', { nullable: true })
  retry: RetryPolicy | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
