import type { ExecutionSummary } from '@hookline/persistence';

/** One line of the execution list: the execution with its message's URI and provider. */
export interface ExecutionSummaryResponse {
  id: string;
  messageId: string;
  functionId: string;
  functionName: string;
  status: string;
  message: string | null;
  durationMs: number | null;
  attempt: number;
  try: number;
  run: number;
  startedAt: string | null;
  finishedAt: string | null;
  resubmittedBy: string | null;
  uri: string;
  providerId: string | null;
  providerName: string | null;
}

export interface ExecutionPageResponse {
  items: ExecutionSummaryResponse[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const toExecutionSummaryResponse = (e: ExecutionSummary): ExecutionSummaryResponse => ({
  ...e,
  startedAt: e.startedAt?.toISOString() ?? null,
  finishedAt: e.finishedAt?.toISOString() ?? null,
});
