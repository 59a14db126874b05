export const MessageStatus = {
  Received: 'RECEIVED',
  Processing: 'PROCESSING',
  Success: 'SUCCESS',
  Failed: 'FAILED',
  Unmatched: 'UNMATCHED',
  /** Another delivery with the same provider dedup header value came first; this one is not processed. */
  Duplicate: 'DUPLICATE',
} as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

export const ExecutionStatus = {
  Pending: 'PENDING',
  Running: 'RUNNING',
  Success: 'SUCCESS',
  Failed: 'FAILED',
} as const;
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];

export const isFinalExecution = (status: string): boolean =>
  status === ExecutionStatus.Success || status === ExecutionStatus.Failed;

export const isFinalMessage = (status: string): boolean =>
  status === MessageStatus.Success ||
  status === MessageStatus.Failed ||
  status === MessageStatus.Unmatched ||
  status === MessageStatus.Duplicate;
