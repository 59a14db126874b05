import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ExecutionStatus, ShapedResponse } from '@hookline/contracts';
import type { ScriptLogLine } from './message.entity';

@Entity('executions')
@Index('executions_message_run_function', ['messageId', 'run', 'functionId', 'try'], { unique: true })
export class ExecutionEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'message_id' })
  messageId: string;

  @Column('integer')
  run: number;

  @Column('uuid', { name: 'function_id' })
  functionId: string;

  @Column('text', { name: 'function_name' })
  functionName: string;

  @Column('text')
  status: ExecutionStatus;

  /** 1 for a function's first try in a run; each retry of its retry policy is a new row with the next. */
  @Column('integer', { name: 'try_no', default: 1 })
  try: number;

  /** Set while a retry waits for its backoff: the retry relay publishes its job then. */
  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt: Date | null;

  /** How many times an executor started it; more than one after an executor died mid-run. */
  @Column('integer', { default: 0 })
  attempt: number;

  @Column('jsonb', { default: () => "'[]'" })
  logs: ScriptLogLine[];

  @Column('text', { nullable: true })
  message: string | null;

  @Column('jsonb', { nullable: true })
  result: unknown;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('jsonb', { nullable: true })
  response: ShapedResponse | null;

  @Column('integer', { name: 'duration_ms', nullable: true })
  durationMs: number | null;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('text', { name: 'resubmitted_by', nullable: true })
  resubmittedBy: string | null;
}
