/** The FlexDeploy base paths; everything after them is the message's URI. */
export const WEBHOOK_BASE_PATHS = ['/flexdeploy/webhooks/v1', '/flexdeploy/webhooks/v2'] as const;

/**
 * A message's URI as stored and matched: what follows the base path, without leading or trailing
 * slashes, so `/git/push/` and `git/push` are the same URI. Functions' URIs and history filters
 * are normalised the same way.
 */
export const normaliseUri = (uri: string | undefined): string => (uri ?? '').replace(/^\/+|\/+$/g, '');

/** A request with this header set to `true` waits for its outcome. */
export const SYNC_HEADER = 'flex-sync-webhook';
