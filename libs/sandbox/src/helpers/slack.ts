import { constantTimeEqual, hmac, isFresh } from './crypto';
import { DEFAULT_TOLERANCE_SECONDS, type SignedRequest } from './signed-request';

/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">`, with
 * `X-Slack-Request-Timestamp` within the tolerance so old requests cannot be replayed.
 */
export function verifySlack(
  request: SignedRequest,
  signingSecret: string,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  const timestamp = request.headers['x-slack-request-timestamp'];
  const signature = request.headers['x-slack-signature'];
  if (!signature || !timestamp || !isFresh(timestamp, request.now, toleranceSeconds)) return false;
  const expected = 'v0=' + hmac('sha256', signingSecret, `v0:${timestamp}:`, request.body).toString('hex');
  return constantTimeEqual(signature.trim().toLowerCase(), expected);
}
