import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Pool } from 'pg';
import { patchKafkaJsRequestQueue } from '@hookline/transport/kafkajs-patch';

// As Hookline's services do: unpatched, kafkajs wakes the process every millisecond per connection.
patchKafkaJsRequestQueue();

/**
 * The design's own limit for async ingest: the least a server can do to store a webhook durably and
 * publish it before answering 202. Bodies wait at most 5 ms or until 200 are queued, then leave as
 * one multi-row INSERT into a copy of the messages table and one kafkajs send with acks=all; every
 * request of the batch is answered 202 after both. No framework, no validation, no outbox.
 *
 * A child process of the bench (`reference` mode), configured by environment: PORT, DATABASE_URL,
 * KAFKA_BROKERS, REFERENCE_TABLE, REFERENCE_TOPIC.
 */

const MAX_WAIT_MS = 5;
const MAX_BATCH = 200;
const COLUMNS = 13;

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
};

const table = env('REFERENCE_TABLE');
const topic = env('REFERENCE_TOPIC');
const pool = new Pool({ connectionString: env('DATABASE_URL'), max: 10 });
const kafka = new Kafka({
  clientId: 'hookline-bench-reference',
  brokers: env('KAFKA_BROKERS').split(','),
  logLevel: logLevel.ERROR,
});
const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });

interface Pending {
  id: string;
  uri: string;
  headers: Record<string, string>;
  body: Buffer;
  receivedAt: Date;
  response: ServerResponse;
}

let queue: Pending[] = [];
let timer: NodeJS.Timeout | null = null;

function enqueue(pending: Pending): void {
  queue.push(pending);
  if (queue.length >= MAX_BATCH) flush();
  else timer ??= setTimeout(flush, MAX_WAIT_MS);
}

function flush(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  const batch = queue;
  queue = [];
  if (batch.length === 0) return;
  store(batch)
    .then(() => publish(batch))
    .then(
      () => batch.forEach((p) => answer(p.response, 202, { id: p.id })),
      (error) => {
        console.error(error);
        batch.forEach((p) => answer(p.response, 503, { error: 'unavailable' }));
      },
    );
}

async function store(batch: Pending[]): Promise<void> {
  const params: unknown[] = [];
  const rows = batch.map((p, i) => {
    const at = p.receivedAt.toISOString();
    params.push(p.id, 'POST', p.uri, '{}', JSON.stringify(p.headers), '127.0.0.1', p.headers['content-type'] ?? null);
    params.push(p.body, at, 'RECEIVED', null, at, at);
    return `(${Array.from({ length: COLUMNS }, (_, c) => `$${i * COLUMNS + c + 1}`).join(', ')})`;
  });
  await pool.query(
    `INSERT INTO ${table} (id, method, uri, query, headers, remote_addr, content_type, body,
       received_at, status, reply_to, updated_at, run_started_at)
     VALUES ${rows.join(', ')}`,
    params,
  );
}

async function publish(batch: Pending[]): Promise<void> {
  // The same record the ingress publishes: the request with its body in base64, inside JSON.
  await producer.send({
    topic,
    acks: -1,
    messages: batch.map((p) => ({
      key: p.id,
      value: JSON.stringify({
        messageId: p.id,
        run: 0,
        runStartedAt: p.receivedAt.toISOString(),
        request: { method: 'POST', uri: p.uri, headers: p.headers, body: p.body.toString('base64') },
      }),
    })),
  });
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  if (request.method === 'GET') return answer(response, 200, { ready: true });
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () =>
    enqueue({
      id: randomUUID(),
      uri: request.url ?? '/',
      headers: request.headers as Record<string, string>,
      body: Buffer.concat(chunks),
      receivedAt: new Date(),
      response,
    }),
  );
}

async function main(): Promise<void> {
  await producer.connect();
  await pool.query('SELECT 1');
  const server = createServer(handle);
  server.listen(Number(env('PORT')), '127.0.0.1');
  const stop = () => {
    server.close();
    void Promise.allSettled([producer.disconnect(), pool.end()]).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
