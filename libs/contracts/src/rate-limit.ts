/**
 * A provider's ingress rate limit: a token bucket of `burst` requests refilled at `perSecond`, per
 * ingress replica. A webhook sent to a URI where the provider has an active function takes a token;
 * without one it is answered 429 with Retry-After and not stored.
 */
export interface RateLimit {
  /** Sustained requests per second: RATE_LIMIT_MIN_PER_SECOND to RATE_LIMIT_MAX_PER_SECOND. */
  perSecond: number;
  /** Requests allowed at once above the sustained rate: 1 to RATE_LIMIT_MAX_BURST. */
  burst: number;
}

export const RATE_LIMIT_MIN_PER_SECOND = 0.01;
export const RATE_LIMIT_MAX_PER_SECOND = 1_000_000;
export const RATE_LIMIT_MAX_BURST = 1_000_000;
