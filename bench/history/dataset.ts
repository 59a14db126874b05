import type { DataSource } from 'typeorm';

/** Ten providers with a skewed share of the traffic (percent), three URIs each. */
const PROVIDERS: Array<{ name: string; share: number; events: [string, string, string] }> = [
  { name: 'github', share: 30, events: ['push', 'pull-request', 'release'] },
  { name: 'gitlab', share: 20, events: ['push', 'merge-request', 'pipeline'] },
  { name: 'bitbucket', share: 12, events: ['push', 'pull-request', 'build'] },
  { name: 'jira', share: 10, events: ['issue', 'sprint', 'version'] },
  { name: 'jenkins', share: 8, events: ['build', 'deploy', 'test'] },
  { name: 'slack', share: 6, events: ['command', 'event', 'interaction'] },
  { name: 'stripe', share: 5, events: ['charge', 'invoice', 'payout'] },
  { name: 'circleci', share: 4, events: ['workflow', 'job', 'deploy'] },
  { name: 'sentry', share: 3, events: ['issue', 'alert', 'release'] },
  { name: 'pagerduty', share: 2, events: ['incident', 'escalation', 'resolve'] },
];

/** Errors of failed executions; `q` benchmarks search them. */
export const ERRORS = [
  'Error: deploy service answered 503',
  'Error: deploy service answered 500',
  'Error: request timed out after 5000 ms',
  'Error: connect ECONNREFUSED 10.0.3.7:8443 (connection refused)',
];

export interface Dataset {
  messages: number;
  executions: number;
  providers: Array<{ id: string; name: string }>;
  functions: Array<{ id: string; name: string; uri: string }>;
  uris: string[];
  firstReceivedAt: Date;
  lastReceivedAt: Date;
}

const DAY_MS = 86_400_000;

/**
 * Loads `count` messages received over the last seven days, in id order as the ingress stores
 * them (UUIDv7 built in SQL from each receivedAt), ~88% SUCCESS, 8% FAILED, 4% UNMATCHED, the
 * newest few still PROCESSING; and their executions (one per matched message, two for each
 * provider's first URI, whose messages also run `notify`). A few INSERT … SELECT statements.
 */
export async function loadDataset(db: DataSource, count: number): Promise<Dataset> {
  const providers = PROVIDERS.map((p, i) => ({ ...p, id: fixedUuid(1, i) }));
  const functions = providers.flatMap((p, i) => [
    ...p.events.map((event, j) => ({
      id: fixedUuid(2, i * 10 + j),
      provider: p,
      name: `${p.name}-${event}`,
      uri: `${p.name}/${event}`,
      primary: true,
    })),
    {
      id: fixedUuid(2, i * 10 + 9),
      provider: p,
      name: `${p.name}-notify`,
      uri: `${p.name}/${p.events[0]}`,
      primary: false,
    },
  ]);
  await db.query(
    `INSERT INTO providers (id, name, sequence, match_script)
     SELECT id, name, ordinality, 'return true' FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS p(id, name)`,
    [providers.map((p) => p.id), providers.map((p) => p.name)],
  );
  await db.query(
    `INSERT INTO functions (id, name, provider_id, uri, script)
     SELECT id, name, provider_id, uri, 'return PAYLOAD' FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]) AS f(id, name, provider_id, uri)`,
    [
      functions.map((f) => f.id),
      functions.map((f) => f.name),
      functions.map((f) => f.provider.id),
      functions.map((f) => f.uri),
    ],
  );

  // One row per URI with the slice of [0, 1) of the traffic it gets.
  let low = 0;
  const uris = providers.flatMap((p) =>
    p.events.map((event, j) => {
      const high = low + p.share / 100 / 3;
      const row = {
        uri: `${p.name}/${event}`,
        provider: p,
        low,
        high,
        primary: functions.find((f) => f.uri === `${p.name}/${event}` && f.primary)!,
        notify: j === 0 ? functions.find((f) => f.provider === p && !f.primary)! : null,
      };
      low = high;
      return row;
    }),
  );
  await db.query(
    `CREATE TEMP TABLE bench_uris (uri text, provider_id uuid, provider_name text, low float8, high float8, function_id uuid, function_name text, notify_id uuid, notify_name text)`,
  );
  await db.query(
    `INSERT INTO bench_uris SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::float8[], $5::float8[], $6::uuid[], $7::text[], $8::uuid[], $9::text[])`,
    [
      uris.map((u) => u.uri),
      uris.map((u) => u.provider.id),
      uris.map((u) => u.provider.name),
      uris.map((u) => u.low),
      uris.map((u, i) => (i === uris.length - 1 ? 1.0000001 : u.high)),
      uris.map((u) => u.primary.id),
      uris.map((u) => u.primary.name),
      uris.map((u) => u.notify?.id ?? null),
      uris.map((u) => u.notify?.name ?? null),
    ],
  );

  const lastMs = Date.now() - 60_000;
  const firstMs = lastMs - 7 * DAY_MS;
  const stepMs = (lastMs - firstMs) / count;
  // ms is strictly increasing with i, so id order is arrival order, as with the ingress.
  await db.query(
    `INSERT INTO messages (id, method, uri, query, headers, remote_addr, content_type, body, received_at, status,
                           provider_id, provider_name, message, match_log, run, run_started_at, pending_jobs,
                           failed_jobs, published_at, updated_at)
     SELECT (lpad(to_hex(g.ms), 12, '0') || '7' || substr(g.h, 1, 3) || '8' || substr(g.h, 4, 15))::uuid,
            'POST', u.uri, jsonb_build_object('ref', 'main'),
            jsonb_build_object('content-type', 'application/json', 'user-agent', u.provider_name || '-hookshot/1.0',
                               'x-delivery', g.h),
            '203.0.113.' || (g.i % 250), 'application/json',
            convert_to('{"ref":"refs/heads/main","after":"' || g.h || '","repository":{"name":"repo-' || (g.i % 500)
                       || '","owner":"acme"},"pusher":{"name":"dev-' || (g.i % 90) || '"},"commits":[{"id":"'
                       || md5(g.h) || '","message":"change ' || g.i || '"}]}', 'UTF8'),
            to_timestamp(g.ms / 1000.0),
            CASE WHEN g.i >= $1 - 20 THEN 'PROCESSING' WHEN g.s < 0.04 THEN 'UNMATCHED'
                 WHEN g.s < 0.12 THEN 'FAILED' ELSE 'SUCCESS' END,
            CASE WHEN g.s < 0.04 AND g.i < $1 - 20 THEN NULL ELSE u.provider_id END,
            CASE WHEN g.s < 0.04 AND g.i < $1 - 20 THEN NULL ELSE u.provider_name END,
            CASE WHEN g.s < 0.04 AND g.i < $1 - 20 THEN 'no active provider matched' END,
            '[]', 0, to_timestamp(g.ms / 1000.0), 0, 0, to_timestamp(g.ms / 1000.0), to_timestamp(g.ms / 1000.0)
       FROM (SELECT i, md5(i::text) AS h, random() AS r, random() AS s,
                    ($2::float8 + i * $3::float8 + random() * $3::float8 * 0.9)::bigint AS ms
               FROM generate_series(0, $1 - 1) AS i) g
       JOIN bench_uris u ON g.r >= u.low AND g.r < u.high`,
    [count, firstMs, stepMs],
  );
  // The primary function of every matched message; FAILED messages failed in it.
  await db.query(
    `INSERT INTO executions (id, message_id, run, function_id, function_name, status, attempt, logs, message, result,
                             error, duration_ms, started_at, finished_at, created_at)
     SELECT m.execution_id, m.id, 0, u.function_id, u.function_name,
            CASE m.status WHEN 'PROCESSING' THEN 'RUNNING' ELSE m.status END, 1,
            '[{"level":"INFO","text":"handling delivery","at":"2026-01-01T00:00:00.000Z"}]',
            CASE WHEN m.status = 'SUCCESS' AND m.r < 0.3 THEN 'deployed build ' || (m.n % 100000) END,
            CASE WHEN m.status = 'SUCCESS' THEN '{"ok":true}'::jsonb END,
            CASE WHEN m.status = 'FAILED' THEN ($1::text[])[1 + m.n % 4] END,
            CASE WHEN m.status = 'PROCESSING' THEN NULL ELSE 5 + m.n % 400 END,
            m.received_at + interval '8 ms', CASE WHEN m.status <> 'PROCESSING' THEN m.received_at + interval '60 ms' END,
            m.received_at + interval '5 ms'
       FROM (SELECT *, random() AS r, (random() * 1e9)::bigint AS n,
                    (lpad(to_hex((extract(epoch FROM received_at) * 1000)::bigint + 5), 12, '0') || '7'
                     || substr(md5(id::text), 1, 3) || '9' || substr(md5(id::text), 4, 15))::uuid AS execution_id
               FROM messages WHERE status <> 'UNMATCHED') m
       JOIN bench_uris u ON u.uri = m.uri`,
    [ERRORS],
  );
  // `notify` runs beside the primary function on each provider's first URI, and succeeds.
  await db.query(
    `INSERT INTO executions (id, message_id, run, function_id, function_name, status, attempt, logs, result,
                             duration_ms, started_at, finished_at, created_at)
     SELECT (lpad(to_hex((extract(epoch FROM m.received_at) * 1000)::bigint + 6), 12, '0') || '7'
              || substr(md5(m.id::text), 5, 3) || 'a' || substr(md5(m.id::text), 8, 15))::uuid,
            m.id, 0, u.notify_id, u.notify_name, 'SUCCESS', 1, '[]', '{"sent":true}', 12,
            m.received_at + interval '9 ms', m.received_at + interval '21 ms', m.received_at + interval '6 ms'
       FROM messages m
       JOIN bench_uris u ON u.uri = m.uri
      WHERE m.status <> 'UNMATCHED' AND u.notify_id IS NOT NULL`,
  );
  await db.query(`DROP TABLE bench_uris`);
  const [{ messages, executions }] = await db.query(
    `SELECT (SELECT count(*) FROM messages)::int AS messages, (SELECT count(*) FROM executions)::int AS executions`,
  );
  return {
    messages,
    executions,
    providers: providers.map(({ id, name }) => ({ id, name })),
    functions: functions.map(({ id, name, uri }) => ({ id, name, uri })),
    uris: uris.map((u) => u.uri),
    firstReceivedAt: new Date(firstMs),
    lastReceivedAt: new Date(lastMs),
  };
}

/** Recognisable ids for the configuration rows (`00000001-0000-7000-8000-00000000000c`). */
const fixedUuid = (kind: number, n: number): string =>
  `${kind.toString(16).padStart(8, '0')}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * Runs a bulk load the way pg_restore does: the tables' secondary indexes are dropped first and
 * built again afterwards from their own definitions (constraint indexes stay). Returns how long
 * the build took.
 */
export async function withIndexesDeferred(
  db: DataSource,
  tables: string[],
  load: () => Promise<void>,
): Promise<number> {
  const indexes: Array<{ name: string; definition: string }> = await db.query(
    `SELECT i.indexname AS name, i.indexdef AS definition
       FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = to_regclass(quote_ident(i.indexname)))`,
    [tables],
  );
  for (const index of indexes) await db.query(`DROP INDEX ${index.name}`);
  await load();
  const started = performance.now();
  for (const index of indexes) await db.query(index.definition);
  return performance.now() - started;
}
