import type { HistoryFilter, Resubmission } from '@hookline/persistence';

/** The filter as it was sent (times in ISO 8601, UTC). */
export type ResubmissionFilterResponse = Omit<HistoryFilter, 'from' | 'to'> & { from?: string; to?: string };

export interface ResubmissionResponse {
  id: string;
  filter: ResubmissionFilterResponse;
  ratePerSecond: number;
  status: string;
  /** Messages that matched when the operation started; null until it has. */
  total: number | null;
  done: number;
  /** Messages still being processed, or deleted, when their turn came. */
  skipped: number;
  failed: number;
  requestedBy: string;
  lastError: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ResubmissionPageResponse {
  items: ResubmissionResponse[];
  nextCursor: string | null;
}

export const toResubmissionResponse = (r: Resubmission): ResubmissionResponse => ({
  id: r.id,
  filter: {
    ...r.filter,
    from: r.filter.from?.toISOString(),
    to: r.filter.to?.toISOString(),
  },
  ratePerSecond: r.ratePerSecond,
  status: r.status,
  total: r.total,
  done: r.done,
  skipped: r.skipped,
  failed: r.failed,
  requestedBy: r.requestedBy,
  lastError: r.lastError,
  createdAt: r.createdAt.toISOString(),
  startedAt: r.startedAt?.toISOString() ?? null,
  finishedAt: r.finishedAt?.toISOString() ?? null,
});
