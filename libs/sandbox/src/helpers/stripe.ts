import { constantTimeEqual, hmac, isFresh } from './crypto';
import { DEFAULT_TOLERANCE_SECONDS, type SignedRequest } from './signed-request';

/**
 * Stripe: `Stripe-Signature: t=<timestamp>,v1=<hex>[,v1=<hex>…]`, each v1 an HMAC-SHA256 of
 * "<timestamp>.<body>"; several v1 appear while a secret is being rolled, and one match suffices.
 */
export function verifyStripe(
  request: SignedRequest,
  secret: string,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  const header = request.headers['stripe-signature'];
  if (!header) return false;
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const item of header.split(',')) {
    const [key, value] = item.split('=', 2).map((part) => part?.trim());
    if (key === 't') timestamp = value;
    if (key === 'v1' && value) signatures.push(value.toLowerCase());
  }
  if (!timestamp || signatures.length === 0 || !isFresh(timestamp, request.now, toleranceSeconds)) return false;
  const expected = hmac('sha256', secret, `${timestamp}.`, request.body).toString('hex');
  // Check every candidate so timing does not reveal which one matched.
  return signatures.map((signature) => constantTimeEqual(signature, expected)).includes(true);
}
