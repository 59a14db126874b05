import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

/** Counts of stored messages received since a moment, to tell when a load has been fully processed. */
export interface MessageProbe {
  /** How often polling it is cheap enough not to disturb the system under test. */
  readonly intervalMs: number;
  /** Messages since `since` not yet final (RECEIVED or PROCESSING). May be capped; 0 is exact. */
  unfinished(since: number): Promise<{ count: number; capped: boolean }>;
  /** Messages since `since` that ended FAILED or UNMATCHED: every bench message should succeed. */
  outcomes(since: number): Promise<{ failed: number; unmatched: number }>;
  /**
   * Where a message's time went, from the timestamps the pipeline records, as medians over the
   * messages since `since`; absent where the database cannot be read from outside (PGlite).
   */
  stages?(since: number): Promise<StageMedians | null>;
  close(): Promise<void>;
}

/** Median milliseconds between the timestamps a message's run records, in pipeline order. */
export interface StageMedians {
  /**
   * received_at → published_at: the ingress stored it and Kafka acknowledged it. Over the messages
   * the ingress marked published before the plan did (`splitPct` of them): a plan that comes first
   * marks the message itself, at its own time, and the moment Kafka acknowledged it is not recorded.
   */
  storeAndPublishMs: number;
  /** published_at → the plan's transaction: the matcher read the record, checked the configuration, ran the match script. Same messages. */
  toPlanMs: number;
  /** The share of messages the two medians above come from. */
  splitPct: number;
  /** plan → started_at: the job was published and read, and the executor recorded the start. */
  toStartMs: number;
  /** started_at → finished_at: the function ran and its outcome was being recorded. */
  runMs: number;
  /** received_at → finished_at. */
  totalMs: number;
}

/**
 * The smallest UUIDv7 of a millisecond: message ids are UUIDv7, so `id >= floor` selects what arrived
 * since then through the primary key, without scanning the backlog of earlier runs.
 */
export function uuidV7Floor(ms: number): string {
  const hex = Math.floor(ms).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-7000-8000-000000000000`;
}

/** Unfinished messages a look counts at most. */
const UNFINISHED_CAP = 100;

/** Distributed: SQL on the bench database. */
export class SqlProbe implements MessageProbe {
  readonly intervalMs = 100;

  /**
   * The oldest message still unfinished at the last look, for each `since`. Nothing older can be
   * unfinished at the next: finished messages stay finished, and waitSettled looks only once every
   * webhook was answered, so every message is stored by then.
   */
  private readonly oldestUnfinished = new Map<number, string>();

  private constructor(private readonly client: Client) {}

  static async connect(databaseUrl: string): Promise<SqlProbe> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    return new SqlProbe(client);
  }

  /**
   * Reads on from the oldest message unfinished at the last look, and stops at UNFINISHED_CAP. A
   * count of every message since `since` read each one of them ten times a second: 36 ms a look at
   * 20,000 messages, 2.3 of the 17.7 s PostgreSQL spent on statements in such a run, taken from
   * the pipeline being measured.
   */
  async unfinished(since: number) {
    const { rows } = await this.client.query(
      `SELECT id FROM messages WHERE id >= $1 AND status IN ('RECEIVED', 'PROCESSING') ORDER BY id LIMIT $2`,
      [this.oldestUnfinished.get(since) ?? uuidV7Floor(since), UNFINISHED_CAP],
    );
    if (rows.length > 0) this.oldestUnfinished.set(since, rows[0].id as string);
    return { count: rows.length, capped: rows.length === UNFINISHED_CAP };
  }

  async outcomes(since: number) {
    const { rows } = await this.client.query(
      `SELECT count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
              count(*) FILTER (WHERE status = 'UNMATCHED')::int AS unmatched
         FROM messages WHERE id >= $1`,
      [uuidV7Floor(since)],
    );
    return rows[0] as { failed: number; unmatched: number };
  }

  async stages(since: number): Promise<StageMedians | null> {
    const { rows } = await this.client.query(
      `WITH s AS (
         SELECT m.received_at AS r, m.published_at AS p, e.created_at AS c, e.started_at AS st, e.finished_at AS f
           FROM messages m JOIN executions e ON e.message_id = m.id
          WHERE m.id >= $1 AND m.published_at IS NOT NULL AND e.finished_at IS NOT NULL)
       SELECT count(*)::int AS n,
              count(*) FILTER (WHERE p < c)::int AS split,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p - r) * 1000) FILTER (WHERE p < c) AS store_and_publish,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c - p) * 1000) FILTER (WHERE p < c) AS to_plan,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM st - c) * 1000) AS to_start,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f - st) * 1000) AS run,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f - r) * 1000) AS total
         FROM s`,
      [uuidV7Floor(since)],
    );
    const row = rows[0] as Record<string, number | null>;
    if (!row.n) return null;
    return {
      // NaN (printed as such) when the plan marked every message.
      storeAndPublishMs: row.store_and_publish === null ? NaN : Number(row.store_and_publish),
      toPlanMs: row.to_plan === null ? NaN : Number(row.to_plan),
      splitPct: Math.round((100 * Number(row.split)) / row.n),
      toStartMs: Number(row.to_start),
      runMs: Number(row.run),
      totalMs: Number(row.total),
    };
  }

  close() {
    return this.client.end();
  }
}

const PAGE = 200;

/**
 * Embedded: PGlite lives inside the process, so ask its admin API. Pages are newest first, so a
 * page of unfinished messages is cheap while there is a backlog; counts above a page are capped.
 */
export class AdminApiProbe implements MessageProbe {
  // Each look is a query on PGlite's single connection, shared with the pipeline: look rarely.
  readonly intervalMs = 500;

  constructor(
    private readonly adminUrl: string,
    private readonly token: string,
  ) {}

  async unfinished(since: number) {
    const [received, processing] = await Promise.all([
      this.count('RECEIVED', since, 1),
      this.count('PROCESSING', since, 1),
    ]);
    return { count: received.count + processing.count, capped: received.capped || processing.capped };
  }

  async outcomes(since: number) {
    const [failed, unmatched] = await Promise.all([
      this.count('FAILED', since, Infinity),
      this.count('UNMATCHED', since, Infinity),
    ]);
    return { failed: failed.count, unmatched: unmatched.count };
  }

  /** Counts messages with a status since `since`, reading at most `maxPages` pages. */
  private async count(status: string, since: number, maxPages: number): Promise<{ count: number; capped: boolean }> {
    const floor = uuidV7Floor(since);
    let count = 0;
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page++) {
      const query = new URLSearchParams({ status, limit: String(PAGE), ...(cursor ? { cursor } : {}) });
      const response = await fetch(`${this.adminUrl}/api/v1/messages?${query}`, {
        headers: { authorization: `Bearer ${this.token}` },
      });
      if (response.status !== 200)
        throw new Error(`listing ${status} messages: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
      const recent = body.items.filter((item) => item.id >= floor);
      count += recent.length;
      if (recent.length < body.items.length || !body.nextCursor) return { count, capped: false };
      cursor = body.nextCursor;
    }
    return { count, capped: true };
  }

  async close() {}
}

export interface Settlement {
  /** Date.now() when no message was left unfinished, or null when it gave up. */
  settledAt: number | null;
  /** Unfinished messages when it gave up. */
  stuck: { count: number; capped: boolean };
}

/**
 * Polls until every message since `since` is final; prints progress every 10 s; gives up after
 * `timeoutMs`, or at once when `signal` aborts (a service died).
 */
export async function waitSettled(
  probe: MessageProbe,
  since: number,
  timeoutMs: number,
  label: string,
  signal: AbortSignal,
): Promise<Settlement> {
  const started = Date.now();
  let lastProgress = started;
  for (;;) {
    signal.throwIfAborted();
    const unfinished = await probe.unfinished(since);
    const now = Date.now();
    if (unfinished.count === 0) return { settledAt: now, stuck: unfinished };
    if (now - started > timeoutMs) return { settledAt: null, stuck: unfinished };
    if (now - lastProgress >= 10_000) {
      lastProgress = now;
      const count = `${unfinished.capped ? '>= ' : ''}${unfinished.count}`;
      console.log(`  … ${label}: ${count} messages still unfinished after ${Math.round((now - started) / 1000)} s`);
    }
    await sleep(probe.intervalMs);
  }
}
