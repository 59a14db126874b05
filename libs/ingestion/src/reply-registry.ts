import type { ReplyEvent } from '@hookline/contracts';
import { CorrelatedWaiters, DRAINED, type Waited } from '@hookline/transport';

export { DRAINED };

/** What a sync request waited for: its reply, `null` after its timeout, or DRAINED at shutdown. */
export type WaitResult = Waited<ReplyEvent>;

/** Sync requests held by this replica, waiting for their reply by correlation id. */
export class ReplyRegistry extends CorrelatedWaiters<ReplyEvent> {}
