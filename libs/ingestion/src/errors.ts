/** Thrown when PostgreSQL did not store the message: nothing was kept. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the message could not be stored: ${describe(cause)}`, { cause });
  }
}

/** Thrown when the broker did not acknowledge a stored message; the outbox relays it later. */
export class BrokerUnavailableError extends Error {
  constructor(
    readonly messageId: string,
    cause: unknown,
  ) {
    super(`the message was stored as ${messageId} but the broker did not acknowledge it: ${describe(cause)}`, {
      cause,
    });
  }
}

export const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
