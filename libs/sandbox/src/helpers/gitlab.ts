import { constantTimeEqual } from './crypto';
import type { SignedRequest } from './signed-request';

/** GitLab sends the configured secret token itself in `X-Gitlab-Token`. */
export function verifyGitlab(request: SignedRequest, token: string): boolean {
  const header = request.headers['x-gitlab-token'];
  return header !== undefined && constantTimeEqual(header, token);
}
