import { v7 as uuidv7 } from 'uuid';
import type { MessageStatus } from '@hookline/contracts';
import type { Queryable } from '@hookline/persistence';

export interface SeedMessage {
  status: MessageStatus;
  receivedAt: Date;
  /** The latest run's start: the arrival unless resubmitted later. */
  runStartedAt?: Date;
  /** Finished executions to give it. */
  executions?: number;
}

export const daysAgo = (days: number): Date => new Date(Date.now() - days * 24 * 60 * 60 * 1000);

/** Inserts messages (ids UUIDv7 of their arrival, as the ingress makes them) and executions; returns the ids. */
export async function seedMessages(db: Queryable, messages: SeedMessage[]): Promise<string[]> {
  const ids: string[] = [];
  for (const m of messages) {
    const id = uuidv7({ msecs: m.receivedAt.getTime() });
    ids.push(id);
    await db.query(
      `INSERT INTO messages (id, method, uri, query, headers, remote_addr, content_type, body, received_at, status,
                             run, run_started_at, updated_at)
       VALUES ($1, 'POST', 'retention/test', '{}', '{}', '127.0.0.1', NULL, $2, $3, $4, $5, $6, now())`,
      [
        id,
        Buffer.from('{}'),
        m.receivedAt.toISOString(),
        m.status,
        m.runStartedAt ? 1 : 0,
        (m.runStartedAt ?? m.receivedAt).toISOString(),
      ],
    );
    for (let n = 0; n < (m.executions ?? 0); n++) {
      await db.query(
        `INSERT INTO executions (id, message_id, run, function_id, function_name, status, created_at)
         VALUES ($1, $2, 0, $3, 'fn', 'SUCCESS', $4)`,
        [uuidv7(), id, uuidv7(), m.receivedAt.toISOString()],
      );
    }
  }
  return ids;
}

/** Many finished old messages with one execution each, in a few statements. */
export async function seedManyOld(db: Queryable, count: number, ageDays: number): Promise<void> {
  const at = daysAgo(ageDays);
  const ids = Array.from({ length: count }, (_, i) => uuidv7({ msecs: at.getTime() + i }));
  for (let start = 0; start < ids.length; start += 1000) {
    const chunk = ids.slice(start, start + 1000);
    await db.query(
      `INSERT INTO messages (id, method, uri, query, headers, remote_addr, body, received_at, status, run_started_at, updated_at)
       SELECT id, 'POST', 'retention/bulk', '{}', '{}', '127.0.0.1', '\\x', $2, 'SUCCESS', $2, now()
         FROM unnest($1::uuid[]) AS id`,
      [chunk, at.toISOString()],
    );
    await db.query(
      `INSERT INTO executions (id, message_id, run, function_id, function_name, status)
       SELECT gen_random_uuid(), id, 0, gen_random_uuid(), 'fn', 'SUCCESS' FROM unnest($1::uuid[]) AS id`,
      [chunk],
    );
  }
}
