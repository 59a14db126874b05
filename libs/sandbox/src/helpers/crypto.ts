import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export const HMAC_ALGORITHMS: readonly HmacAlgorithm[] = ['sha1', 'sha256', 'sha512'];

/** HMAC over the concatenation of `parts`, fed piecewise so a raw body is never copied or re-encoded. */
export function hmac(algorithm: HmacAlgorithm, key: string | Buffer, ...parts: Array<string | Buffer>): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Compares two secrets in time independent of where they differ and of their lengths: both sides
 * are hashed to 32 bytes first, which `timingSafeEqual` needs anyway.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/** True when `seconds` (a Unix timestamp as sent in a header) lies within `toleranceSeconds` of now. */
export function isFresh(seconds: string | undefined, nowMs: number, toleranceSeconds: number): boolean {
  if (seconds === undefined || !/^\d{1,12}$/.test(seconds.trim())) return false;
  return Math.abs(nowMs / 1000 - Number(seconds)) <= toleranceSeconds;
}
