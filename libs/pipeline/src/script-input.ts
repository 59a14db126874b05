import type { WebhookRequest } from '@hookline/contracts';
import type { ProviderEntity } from '@hookline/persistence';
import type { ScriptInput } from '@hookline/sandbox';

/** What a provider's scripts see of a message; take `provider` from ConfigView, which decrypted its secrets. */
export function scriptInput(
  messageId: string,
  request: WebhookRequest,
  provider: ProviderEntity,
  tryNo = 1,
): ScriptInput {
  return {
    messageId,
    try: tryNo,
    method: request.method,
    uri: request.uri,
    query: request.query,
    headers: request.headers,
    remoteAddr: request.remoteAddr,
    // As a servlet container without reverse lookups answers getRemoteHost(): the address itself.
    remoteHost: request.remoteAddr,
    body: Buffer.from(request.body, 'base64'),
    contentType: request.contentType ?? undefined,
    properties: provider.properties ?? [],
  };
}
