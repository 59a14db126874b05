import Ajv, { type ValidateFunction } from 'ajv';
import { v7 as uuidv7 } from 'uuid';
import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';

/**
 * Real answers of the admin API checked against the OpenAPI document it serves: every field the
 * document requires is there with its type, and nothing is there that the document does not
 * declare. The response builders return the decorated response classes, so the compiler checks
 * their fields; this checks what the compiler cannot: that each field is decorated, the
 * controllers name the right class, and the values have the documented types.
 */
describe('admin API answers match the OpenAPI document', () => {
  let t: AdminTestApp;
  let document: any;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

  beforeAll(async () => {
    t = await createAdminTestApp({ openApi: true });
    const response = await t.request({ method: 'GET', url: '/api/docs-json', headers: { authorization: undefined } });
    document = response.json();
    ajv.addSchema({ $id: DOCUMENT_ID, components: closed(document.components) });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  /** The validator of an operation's answer with `status`, as the document declares it. */
  const validator = (method: string, path: string, status: number): ValidateFunction => {
    const operation = document.paths[path]?.[method.toLowerCase()];
    const schema = operation?.responses?.[String(status)]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`the document declares no JSON answer ${status} for ${method} ${path}`);
    return ajv.compile(retarget(closed(schema)));
  };

  /** Calls the API and checks the answer against the operation `method path` (an OpenAPI path). */
  const check = async (method: string, url: string, path: string, payload?: unknown): Promise<any> => {
    const response = await t.request({ method: method as 'GET', url: `/api/v1${url}`, payload: payload as object });
    expect([200, 201, 202]).toContain(response.statusCode);
    const validate = validator(method, `/api/v1${path}`, response.statusCode);
    const body = response.json();
    if (!validate(body)) throw new Error(`${method} ${url}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
    return body;
  };

  it('for providers, functions, messages, executions and the rest', async () => {
    const provider = await check('POST', '/providers', '/providers', {
      name: 'GitHub',
      matchScript: 'return true',
      properties: [{ name: 'SECRET', value: 's3cret', secret: true }],
      dedupHeader: 'X-GitHub-Delivery',
      rateLimit: { perSecond: 5, burst: 10 },
    });
    await check('GET', '/providers', '/providers');
    await check('GET', `/providers/${provider.id}`, '/providers/{id}');
    const fn = await check('POST', '/functions', '/functions', {
      name: 'Deploy',
      providerId: provider.id,
      uri: 'git/push',
      script: 'return PAYLOAD',
      retry: { maxAttempts: 3, backoffMs: 500 },
    });
    await check('GET', '/functions', '/functions');
    await check('GET', `/functions/${fn.id}`, '/functions/{id}');
    await check('GET', '/provider-templates', '/provider-templates');

    const messageId = uuidv7();
    await t.messages.insertMany([
      {
        id: messageId,
        method: 'POST',
        uri: 'git/push',
        query: { ref: 'main' },
        headers: { 'content-type': 'application/json' },
        remoteAddr: '203.0.113.9',
        contentType: 'application/json',
        body: Buffer.from('{"ref":"main"}'),
        receivedAt: new Date(),
        replyTo: null,
      },
    ]);
    await t.db.query(
      `UPDATE messages SET status = 'FAILED', provider_id = $2, provider_name = 'GitHub', published_at = now()
        WHERE id = $1`,
      [messageId, provider.id],
    );
    await t.db.query(
      `INSERT INTO executions (id, message_id, run, function_id, function_name, status, attempt, try_no, logs, message,
                               result, error, duration_ms, started_at, finished_at)
       VALUES ($1, $2, 0, $3, 'Deploy', 'FAILED', 1, 1, $4, 'failed', NULL, 'Error: boom', 3, now(), now())`,
      [uuidv7(), messageId, fn.id, JSON.stringify([{ level: 'INFO', text: 'hello', at: new Date().toISOString() }])],
    );
    await check('GET', '/messages', '/messages');
    await check('GET', `/messages/${messageId}`, '/messages/{id}');
    await check('GET', '/messages/stats', '/messages/stats');
    await check('GET', '/executions', '/executions');
    await check('GET', '/dead-letters', '/dead-letters');
    await check('GET', '/session', '/session');
    const token = await check('POST', '/tokens', '/tokens', { name: 'viewer', role: 'viewer' });
    await check('GET', '/tokens', '/tokens');
    await check('GET', '/audit', '/audit');
    expect(token.secret).toEqual(expect.any(String));
  });
});

const DOCUMENT_ID = 'https://hookline.invalid/openapi.json';

/** A copy in which every object schema refuses properties it does not declare. */
function closed(schema: any): any {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const copy: any = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closed(value)]));
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

/** References into the document's components, made absolute (they are relative to the document). */
function retarget(schema: any): any {
  if (Array.isArray(schema)) return schema.map(retarget);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? [key, `${DOCUMENT_ID}${value}`]
        : [key, retarget(value)],
    ),
  );
}
