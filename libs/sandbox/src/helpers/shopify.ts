import { constantTimeEqual, hmac } from './crypto';
import type { SignedRequest } from './signed-request';

/** Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>`. */
export function verifyShopify(request: SignedRequest, secret: string): boolean {
  const header = request.headers['x-shopify-hmac-sha256'];
  if (!header) return false;
  const expected = hmac('sha256', secret, request.body).toString('base64');
  return constantTimeEqual(header.trim(), expected);
}
