/** The FlexDeploy base paths; everything after them is the message's URI. */
export const WEBHOOK_BASE_PATHS = ['/flexdeploy/webhooks/v1', '/flexdeploy/webhooks/v2'] as const;

/** A request with this header set to `true` waits for its outcome. */
export const SYNC_HEADER = 'flex-sync-webhook';
