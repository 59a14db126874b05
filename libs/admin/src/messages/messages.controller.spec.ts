import { v7 as uuidv7 } from 'uuid';
import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';
import { decodeEvent, MessageStatus, Topics, type MessageReceivedEvent } from '@hookline/contracts';
import type { NewMessage } from '@hookline/persistence';
import type { IncomingRecord } from '@hookline/transport';
import { until } from '@hookline/testing';

describe('messages API', () => {
  let t: AdminTestApp;

  const newMessage = (fields: Partial<NewMessage> = {}): NewMessage => ({
    id: uuidv7(),
    method: 'POST',
    uri: 'git/push',
    query: { ref: 'main' },
    headers: { 'content-type': 'application/json', 'x-source': 'git' },
    remoteAddr: '203.0.113.9',
    contentType: 'application/json',
    body: Buffer.from('{"ref":"main"}'),
    receivedAt: new Date(),
    replyTo: null,
    ...fields,
  });

  /** Stores messages as the ingress does, oldest first; optionally moves them on to `status`. */
  const seed = async (count: number, fields: Partial<NewMessage> = {}, status?: MessageStatus) => {
    const messages = Array.from({ length: count }, () => newMessage(fields));
    await t.messages.insertMany(messages);
    if (status) {
      await t.db.query(`UPDATE messages SET status = $2, published_at = now() WHERE id = ANY($1::uuid[])`, [
        messages.map((m) => m.id),
        status,
      ]);
    }
    return messages;
  };

  const list = (query: string) => t.request({ method: 'GET', url: `/api/v1/messages${query}` });

  beforeAll(async () => {
    t = await createAdminTestApp();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  describe('list', () => {
    it('pages through messages newest first with a cursor', async () => {
      const seeded = await seed(5, { uri: 'paging/test' });
      const newestFirst = seeded.map((m) => m.id).reverse();

      const first = await list('?uri=paging/test&limit=2');
      expect(first.statusCode).toBe(200);
      const page1 = first.json();
      expect(page1.items.map((m: { id: string }) => m.id)).toEqual(newestFirst.slice(0, 2));
      expect(page1.nextCursor).toBe(newestFirst[1]);

      const page2 = (await list(`?uri=paging/test&limit=2&cursor=${page1.nextCursor}`)).json();
      expect(page2.items.map((m: { id: string }) => m.id)).toEqual(newestFirst.slice(2, 4));

      const page3 = (await list(`?uri=paging/test&limit=2&cursor=${page2.nextCursor}`)).json();
      expect(page3.items.map((m: { id: string }) => m.id)).toEqual(newestFirst.slice(4));
      expect(page3.nextCursor).toBeNull();
    });

    it('has no next page when the last page is exactly full', async () => {
      await seed(2, { uri: 'paging/exact' });

      const page = (await list('?uri=paging/exact&limit=2')).json();

      expect(page.items).toHaveLength(2);
      expect(page.nextCursor).toBeNull();
    });

    it('lists the summary of each message', async () => {
      const [message] = await seed(1, { uri: 'summary/test', receivedAt: new Date('2025-01-02T03:04:05.678Z') });

      const page = (await list('?uri=/summary/test/')).json();

      expect(page).toEqual({
        items: [
          {
            id: message.id,
            method: 'POST',
            uri: 'summary/test',
            receivedAt: '2025-01-02T03:04:05.678Z',
            status: 'RECEIVED',
            providerId: null,
            providerName: null,
            message: null,
            remoteAddr: '203.0.113.9',
            run: 0,
            functions: [],
            durationMs: null,
            resubmittedBy: null,
          },
        ],
        nextCursor: null,
      });
    });

    it('defaults to 50 items', async () => {
      await seed(51, { uri: 'paging/default' });

      const page = (await list('?uri=paging/default')).json();

      expect(page.items).toHaveLength(50);
      expect(page.nextCursor).not.toBeNull();
    });

    it('filters by status and provider', async () => {
      const providerId = uuidv7();
      const [failed] = await seed(1, { uri: 'filter/test' }, MessageStatus.Failed);
      const [matched] = await seed(1, { uri: 'filter/test' }, MessageStatus.Success);
      await t.db.query(`UPDATE messages SET provider_id = $2, provider_name = 'github' WHERE id = $1`, [
        matched.id,
        providerId,
      ]);

      const byStatus = (await list('?uri=filter/test&status=FAILED')).json();
      expect(byStatus.items.map((m: { id: string }) => m.id)).toEqual([failed.id]);
      const byProvider = (await list(`?providerId=${providerId}`)).json();
      expect(byProvider.items).toEqual([
        expect.objectContaining({ id: matched.id, providerId, providerName: 'github', status: 'SUCCESS' }),
      ]);
    });

    it('filters by function, time and text', async () => {
      const functionId = uuidv7();
      const ten = Date.parse('2025-05-05T10:00:00.000Z');
      const at = (ms: number) => ({ id: uuidv7({ msecs: ms }), receivedAt: new Date(ms) });
      const [before, inside, after] = [
        ...(await seed(1, { uri: 'filter/more', ...at(ten - 1) })),
        ...(await seed(1, { uri: 'filter/more', ...at(ten + 1000) })),
        ...(await seed(1, { uri: 'filter/more', ...at(ten + 7_200_000) })),
      ];
      for (const [message, text] of [
        [before, 'Deploy started'],
        [inside, 'Deploy failed: answered 503'],
        [after, 'nothing'],
      ] as const) {
        await t.db.query(
          `INSERT INTO executions (id, message_id, run, function_id, function_name, status, message)
           VALUES ($1, $2, 0, $3, 'deploy', 'SUCCESS', $4)`,
          [uuidv7(), message.id, functionId, text],
        );
      }
      const ids = async (query: string) => (await list(query)).json().items.map((m: { id: string }) => m.id);

      expect(await ids(`?functionId=${functionId}`)).toEqual([after.id, inside.id, before.id]);
      expect(await ids(`?functionId=${functionId}&from=2025-05-05T10:00:00Z&to=2025-05-05T11:00:00Z`)).toEqual([
        inside.id,
      ]);
      expect(await ids(`?functionId=${functionId}&from=2025-05-05T13:00:00%2B02:00`)).toEqual([after.id]);
      expect(await ids('?uri=filter/more&q=deploy')).toEqual([inside.id, before.id]);
      expect(await ids('?uri=filter/more&q=DEPLOY%20503')).toEqual([inside.id]);
    });

    it.each([
      ['?limit=0', 'limit', 'limit must not be less than 1'],
      ['?limit=201', 'limit', 'limit must not be greater than 200'],
      ['?limit=ten', 'limit', 'limit must be an integer number'],
      ['?cursor=abc', 'cursor', 'cursor must be the nextCursor of a previous page'],
      ['?status=DONE', 'status', `status must be one of ${Object.values(MessageStatus).join(', ')}`],
      ['?providerId=github', 'providerId', 'providerId must be the id of a provider'],
      ['?functionId=deploy', 'functionId', 'functionId must be the id of a function'],
      [
        '?from=yesterday',
        'from',
        'from must be an ISO 8601 time with its offset, like 2026-11-29T10:00:00Z, or a date',
      ],
      [
        '?from=2026-11-29T10:00:00',
        'from',
        'from must be an ISO 8601 time with its offset, like 2026-11-29T10:00:00Z, or a date',
      ],
      ['?to=2026-02-30', 'to', 'to must be an ISO 8601 time with its offset, like 2026-11-29T10:00:00Z, or a date'],
      ['?from=2026-11-29&to=2026-11-28T23:00:00Z', 'to', 'to must be later than from'],
      ['?q=%20!!%20', 'q', 'q must contain a letter or a digit'],
      ['?sort=asc', 'sort', 'property sort should not exist'],
    ])('refuses %s', async (query, field, message) => {
      const response = await list(query);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'validation_failed', field, message });
    });
  });

  describe('stats', () => {
    const stats = (query: string) => t.request({ method: 'GET', url: `/api/v1/messages/stats${query}` });
    const zero = Object.fromEntries(Object.values(MessageStatus).map((status) => [status, 0]));
    /** `count` messages received at `ms` (a millisecond apart), moved on to `status`. */
    const seedAt = async (count: number, uri: string, ms: number, status: MessageStatus) => {
      for (let n = 0; n < count; n++) {
        await seed(1, { uri, id: uuidv7({ msecs: ms + n }), receivedAt: new Date(ms + n) }, status);
      }
    };

    it('counts the messages of each status in each bucket of the range', async () => {
      const providerId = uuidv7();
      const noon = Date.parse('2025-06-06T12:00:00.000Z');
      await seedAt(1, 'stats/test', noon - 1, MessageStatus.Success); // before the range
      await seedAt(2, 'stats/test', noon, MessageStatus.Success);
      await seedAt(1, 'stats/test', noon + 59_999, MessageStatus.Failed);
      await seedAt(3, 'stats/test', noon + 5 * 60_000, MessageStatus.Unmatched);
      await seedAt(1, 'stats/other', noon + 5 * 60_000, MessageStatus.Unmatched);
      await seedAt(1, 'stats/test', noon + 3_600_000, MessageStatus.Success); // at `to`: excluded
      await t.db.query(`UPDATE messages SET provider_id = $1 WHERE uri IN ('stats/test', 'stats/other')`, [providerId]);

      const response = await stats(
        `?uri=/stats/test/&providerId=${providerId.toUpperCase()}&from=2025-06-06T12:00:00Z&to=2025-06-06T13:00:00Z`,
      );

      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({
        from: '2025-06-06T12:00:00.000Z',
        to: '2025-06-06T13:00:00.000Z',
        bucketSeconds: 60,
      });
      expect(body.buckets).toHaveLength(60);
      expect(body.buckets[0]).toEqual({
        start: '2025-06-06T12:00:00.000Z',
        counts: { ...zero, SUCCESS: 2, FAILED: 1 },
      });
      expect(body.buckets[5]).toEqual({ start: '2025-06-06T12:05:00.000Z', counts: { ...zero, UNMATCHED: 3 } });
      const total = body.buckets.reduce(
        (sum: number, bucket: { counts: Record<string, number> }) =>
          sum + Object.values(bucket.counts).reduce((a, b) => a + b, 0),
        0,
      );
      expect(total).toBe(6);
    });

    it('covers the last 24 hours in half hours by default, counting messages just received', async () => {
      await seed(2, { uri: 'stats/now' });

      const body = (await stats('?uri=stats/now')).json();

      expect(body.bucketSeconds).toBe(1800);
      expect(body.buckets).toHaveLength(48);
      expect(Date.parse(body.to) - Date.parse(body.from)).toBe(24 * 3_600_000);
      expect(body.buckets.at(-1).counts.RECEIVED).toBe(2);
    });

    it.each([
      ['?from=2026-11-29&to=2026-11-28T23:00:00Z', 'to', 'to must be later than from'],
      ['?status=FAILED', 'status', 'property status should not exist'],
    ])('refuses %s', async (query, field, message) => {
      const response = await stats(query);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'validation_failed', field, message });
    });
  });

  describe('detail', () => {
    it('shows a message with the executions of every run, by run then id', async () => {
      const [message] = await seed(1, { uri: 'detail/test', query: { a: ['1', '2'] } });
      await t.db.query(
        `UPDATE messages SET status = 'FAILED', provider_id = $2, provider_name = 'github', run = 1,
                message = 'one function failed', match_log = $3
          WHERE id = $1`,
        [
          message.id,
          uuidv7(),
          JSON.stringify([{ level: 'INFO', text: '[github] matched', at: '2025-01-01T00:00:00.000Z' }]),
        ],
      );
      const functionId = uuidv7();
      const [first, second, third] = [uuidv7(), uuidv7(), uuidv7()];
      // Inserted out of order: the response orders them.
      const insert = (id: string, run: number, fn: string, status: string, resubmittedBy: string | null) =>
        t.db.query(
          `INSERT INTO executions (id, message_id, run, function_id, function_name, status, attempt, logs, message,
                                   result, error, duration_ms, started_at, finished_at, resubmitted_by)
           VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10, 12, '2025-01-01T00:00:01Z', '2025-01-01T00:00:02Z', $11)`,
          [
            id,
            message.id,
            run,
            fn,
            'deploy',
            status,
            JSON.stringify([{ level: 'INFO', text: 'deploying', at: '2025-01-01T00:00:01.500Z' }]),
            status === 'FAILED' ? 'deploy failed' : null,
            status === 'SUCCESS' ? JSON.stringify({ deployed: true }) : null,
            status === 'FAILED' ? 'Error: boom' : null,
            resubmittedBy,
          ],
        );
      await insert(third, 1, functionId, 'FAILED', 'admin');
      await insert(second, 0, uuidv7(), 'SUCCESS', null);
      await insert(first, 0, functionId, 'SUCCESS', null);

      const response = await t.request({ method: 'GET', url: `/api/v1/messages/${message.id}` });

      expect(response.statusCode).toBe(200);
      const detail = response.json();
      expect(detail).toEqual({
        id: message.id,
        method: 'POST',
        uri: 'detail/test',
        query: { a: ['1', '2'] },
        headers: { 'content-type': 'application/json', 'x-source': 'git' },
        remoteAddr: '203.0.113.9',
        contentType: 'application/json',
        receivedAt: message.receivedAt.toISOString(),
        status: 'FAILED',
        providerId: expect.any(String),
        providerName: 'github',
        message: 'one function failed',
        matchLog: [{ level: 'INFO', text: '[github] matched', at: '2025-01-01T00:00:00.000Z' }],
        run: 1,
        duplicateOf: null,
        executions: [
          expect.objectContaining({ id: first, run: 0 }),
          expect.objectContaining({ id: second, run: 0 }),
          expect.objectContaining({ id: third, run: 1 }),
        ],
      });
      expect(detail.executions[0]).toEqual({
        id: first,
        functionId,
        functionName: 'deploy',
        status: 'SUCCESS',
        message: null,
        logs: [{ level: 'INFO', text: 'deploying', at: '2025-01-01T00:00:01.500Z' }],
        result: { deployed: true },
        error: null,
        durationMs: 12,
        attempt: 1,
        try: 1,
        dueAt: null,
        run: 0,
        startedAt: '2025-01-01T00:00:01.000Z',
        finishedAt: '2025-01-01T00:00:02.000Z',
        resubmittedBy: null,
      });
      expect(detail.executions[2]).toMatchObject({ status: 'FAILED', error: 'Error: boom', resubmittedBy: 'admin' });
    });

    it('answers 404 for unknown and malformed ids', async () => {
      const missing = uuidv7();
      for (const url of [`/api/v1/messages/${missing}`, `/api/v1/messages/${missing}/payload`, '/api/v1/messages/42']) {
        const response = await t.request({ method: 'GET', url });
        expect([url, response.statusCode, response.json().error]).toEqual([url, 404, 'not_found']);
      }
    });
  });

  describe('payload', () => {
    it('returns the body byte for byte with its content type', async () => {
      const body = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x41, 0xc3, 0x28, 0x00]);
      const [message] = await seed(1, { body, contentType: 'application/x-protobuf; proto=Push' });

      const response = await t.request({ method: 'GET', url: `/api/v1/messages/${message.id}/payload` });

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/x-protobuf; proto=Push');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.rawPayload.equals(body)).toBe(true);
    });

    it('answers application/octet-stream when the message had no content type', async () => {
      const [message] = await seed(1, { body: Buffer.from('plain'), contentType: null });

      const response = await t.request({ method: 'GET', url: `/api/v1/messages/${message.id}/payload` });

      expect(response.headers['content-type']).toBe('application/octet-stream');
      expect(response.body).toBe('plain');
    });

    it('returns an empty body', async () => {
      const [message] = await seed(1, { body: Buffer.alloc(0), method: 'GET', contentType: null });

      const response = await t.request({ method: 'GET', url: `/api/v1/messages/${message.id}/payload` });

      expect(response.statusCode).toBe(200);
      expect(response.rawPayload).toHaveLength(0);
    });
  });

  describe('resubmit', () => {
    const resubmit = (id: string) => t.request({ method: 'POST', url: `/api/v1/messages/${id}/resubmit` });

    it('starts the next run of a finished message and publishes it', async () => {
      const [message] = await seed(1, { uri: 'resubmit/test' }, MessageStatus.Success);
      const received: IncomingRecord[] = [];
      const subscription = await t.bus.subscribe(
        { topic: Topics.MessagesReceived, groupId: 'admin-resubmit-test', fromBeginning: false, concurrency: 1 },
        async (record) => {
          received.push(record);
        },
      );

      try {
        const response = await resubmit(message.id);

        expect(response.statusCode).toBe(202);
        expect(response.json()).toEqual({ messageId: message.id, run: 1 });
        const [row] = await t.db.query(`SELECT run, status, resubmitted_by FROM messages WHERE id = $1`, [message.id]);
        expect(row).toEqual({ run: 1, status: 'RECEIVED', resubmitted_by: 'admin' });
        const listed = (await list('?uri=resubmit/test')).json().items;
        expect(listed).toEqual([
          expect.objectContaining({ id: message.id, run: 1, resubmittedBy: 'admin', durationMs: null }),
        ]);
        await until(() => received.length > 0, { what: 'the resubmitted record' });
        expect(received).toHaveLength(1);
        expect(received[0].key).toBe(message.id);
        const event = decodeEvent<MessageReceivedEvent>(received[0].value);
        expect(event).toMatchObject({ messageId: message.id, run: 1, resubmittedBy: 'admin', replyTo: null });
        expect(Buffer.from(event.request.body, 'base64').equals(message.body)).toBe(true);
      } finally {
        await subscription.close();
      }
    });

    it.each([MessageStatus.Received, MessageStatus.Processing])(
      'answers 409 while the message is %s',
      async (status) => {
        const [message] = await seed(1, {}, status);

        const response = await resubmit(message.id);

        expect(response.statusCode).toBe(409);
        expect(response.json()).toEqual({ error: 'message_busy', message: expect.stringContaining(status) });
        const [row] = await t.db.query(`SELECT run FROM messages WHERE id = $1`, [message.id]);
        expect(row.run).toBe(0);
      },
    );

    it('answers 404 for an unknown message', async () => {
      for (const id of [uuidv7(), 'x']) {
        const response = await resubmit(id);
        expect(response.statusCode).toBe(404);
        expect(response.json()).toEqual({ error: 'not_found', message: `message '${id}' not found` });
      }
    });
  });
});
