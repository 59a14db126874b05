/** Thrown when PostgreSQL did not store the message: nothing was kept. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the message could not be stored: ${describe(cause)}`, { cause });
  }
}

/**
 * Thrown before storing a sync request this replica will not take now: it holds SYNC_MAX_WAITERS
 * sync requests already, or the matcher and executors are more than SYNC_MAX_LAG records behind.
 */
export class SyncBusyError extends Error {
  constructor(reason: string) {
    super(`${reason}; nothing was kept, send it again shortly`);
  }
}

export const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
