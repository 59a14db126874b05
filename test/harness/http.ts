import { ADMIN_TOKEN, type System } from './system';

export interface HttpResult {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** A request with fetch; the body is parsed as JSON when it is JSON. */
export async function request(url: string, init: RequestInit = {}): Promise<HttpResult> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** A client of one system: the admin API with the token, webhooks on a chosen replica. */
export class Client {
  constructor(private readonly system: System) {}

  admin(method: string, path: string, body?: unknown): Promise<HttpResult> {
    return request(`${this.system.adminUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async provider(fields: Record<string, unknown>): Promise<{ id: string; name: string }> {
    const res = await this.admin('POST', '/providers', fields);
    if (res.status !== 201) throw new Error(`creating provider failed: ${res.status} ${res.text}`);
    return res.body;
  }

  async fn(fields: Record<string, unknown>): Promise<{ id: string; name: string }> {
    const res = await this.admin('POST', '/functions', fields);
    if (res.status !== 201) throw new Error(`creating function failed: ${res.status} ${res.text}`);
    return res.body;
  }

  webhook(
    path: string,
    init: {
      method?: string;
      body?: string | Buffer;
      headers?: Record<string, string>;
      sync?: boolean;
      replica?: number;
    } = {},
  ): Promise<HttpResult> {
    const base = this.system.ingressUrls[(init.replica ?? 0) % this.system.ingressUrls.length];
    return request(`${base}/flexdeploy/webhooks/v1/${path}`, {
      method: init.method ?? 'POST',
      headers: { ...(init.sync ? { 'flex-sync-webhook': 'true' } : {}), ...init.headers },
      body: init.body,
    });
  }

  message(id: string): Promise<HttpResult> {
    return this.admin('GET', `/messages/${id}`);
  }

  /** Polls a message until it reaches a final status. */
  async settled(id: string, timeoutMs = 20_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.message(id);
      if (res.status === 200 && ['SUCCESS', 'FAILED', 'UNMATCHED'].includes(res.body.status)) return res.body;
      if (Date.now() > deadline) throw new Error(`message ${id} did not settle: ${res.status} ${res.text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
