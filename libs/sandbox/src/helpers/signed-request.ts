/** What a provider's signature check looks at: the headers (lower-case names) and the raw body. */
export interface SignedRequest {
  headers: Record<string, string>;
  body: Buffer;
  /** Milliseconds since the epoch, for timestamp windows. */
  now: number;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;
