/** A provider as the admin API returns it (secret values masked as `****`). */
export interface RemoteProvider {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  sequence: number;
  matchScript: string;
  properties: Array<{ name: string; value: string; secret?: boolean }>;
  dedupHeader: string | null;
  dedupWindowSeconds: number | null;
  /** Absent from instances older than provider rate limits. */
  rateLimit?: { perSecond: number; burst: number } | null;
}

export interface RemoteFunction {
  id: string;
  name: string;
  description: string | null;
  providerId: string;
  uri: string;
  active: boolean;
  script: string;
  /** Absent from instances older than function retry policies. */
  retry?: { maxAttempts: number; backoffMs: number } | null;
}

/** The admin API over HTTP with a bearer token; a failed call throws with the API's error. */
export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  providers = () => this.call<RemoteProvider[]>('GET', '/providers');
  functions = () => this.call<RemoteFunction[]>('GET', '/functions');
  createProvider = (body: object) => this.call<RemoteProvider>('POST', '/providers', body);
  updateProvider = (id: string, body: object) => this.call<RemoteProvider>('PATCH', `/providers/${id}`, body);
  reorderProviders = (ids: string[]) => this.call<unknown>('PUT', '/providers/order', { ids });
  createFunction = (body: object) => this.call<RemoteFunction>('POST', '/functions', body);
  updateFunction = (id: string, body: object) => this.call<RemoteFunction>('PATCH', `/functions/${id}`, body);

  private async call<T>(method: string, path: string, body?: object): Promise<T> {
    const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
