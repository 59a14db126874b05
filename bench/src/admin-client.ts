/** The URI every bench webhook is sent to. */
export const BENCH_URI = 'bench/event';

/** A provider matching everything and one trivial function on BENCH_URI, created through the admin API. */
export async function createBenchRoute(adminUrl: string, token: string): Promise<void> {
  const provider = await post(adminUrl, token, '/providers', { name: 'Bench', matchScript: 'return true' });
  await post(adminUrl, token, '/functions', {
    name: 'Bench',
    providerId: provider.id,
    uri: BENCH_URI,
    script: 'return 1',
  });
}

async function post(adminUrl: string, token: string, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${adminUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

export const webhookUrl = (ingressUrl: string) => `${ingressUrl}/flexdeploy/webhooks/v1/${BENCH_URI}`;
