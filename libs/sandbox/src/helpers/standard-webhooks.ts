import { constantTimeEqual, hmac, isFresh } from './crypto';
import { DEFAULT_TOLERANCE_SECONDS, type SignedRequest } from './signed-request';

const SECRET_PREFIX = 'whsec_';

/**
 * Standard Webhooks (standardwebhooks.com, used by Svix and others): `webhook-signature` holds a
 * space-separated list of `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`;
 * the secret is base64, optionally prefixed with `whsec_`.
 */
export function verifyStandardWebhooks(
  request: SignedRequest,
  secret: string,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  const id = request.headers['webhook-id'];
  const timestamp = request.headers['webhook-timestamp'];
  const header = request.headers['webhook-signature'];
  if (!id || !timestamp || !header || !isFresh(timestamp, request.now, toleranceSeconds)) return false;
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  const expected = hmac('sha256', key, `${id}.${timestamp}.`, request.body).toString('base64');
  const signatures = header
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => entry.slice('v1,'.length));
  return signatures.map((signature) => constantTimeEqual(signature, expected)).includes(true);
}
