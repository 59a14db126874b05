import { constantTimeEqual, hmac } from './crypto';
import type { SignedRequest } from './signed-request';

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. */
export function verifyGithub(request: SignedRequest, secret: string): boolean {
  const header = request.headers['x-hub-signature-256'];
  if (!header?.startsWith('sha256=')) return false;
  const expected = hmac('sha256', secret, request.body).toString('hex');
  return constantTimeEqual(header.slice('sha256='.length).trim().toLowerCase(), expected);
}
