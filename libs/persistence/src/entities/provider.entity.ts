import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
