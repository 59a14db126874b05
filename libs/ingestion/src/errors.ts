/** Thrown when PostgreSQL did not store the message: nothing was kept. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the message could not be stored: ${describe(cause)}`, { cause });
  }
}

/** Thrown before storing when this replica already holds SYNC_MAX_WAITERS sync requests. */
export class SyncBusyError extends Error {
  constructor(readonly maxWaiters: number) {
    super(`this replica already holds ${maxWaiters} sync requests; nothing was kept, send it again shortly`);
  }
}

export const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
