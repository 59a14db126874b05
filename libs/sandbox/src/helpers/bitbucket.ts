import { constantTimeEqual, hmac } from './crypto';
import type { SignedRequest } from './signed-request';

/** Bitbucket Cloud and Server: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>`. */
export function verifyBitbucket(request: SignedRequest, secret: string): boolean {
  const header = request.headers['x-hub-signature'];
  if (!header?.startsWith('sha256=')) return false;
  const expected = hmac('sha256', secret, request.body).toString('hex');
  return constantTimeEqual(header.slice('sha256='.length).trim().toLowerCase(), expected);
}
