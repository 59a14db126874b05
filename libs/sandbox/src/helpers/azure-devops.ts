import { constantTimeEqual } from './crypto';
import type { SignedRequest } from './signed-request';

/** Azure DevOps service hooks with basic authentication: `Authorization: Basic base64(user:password)`. */
export function verifyAzureDevopsBasic(request: SignedRequest, user: string, password: string): boolean {
  const match = /^basic\s+(\S+)\s*$/i.exec(request.headers['authorization'] ?? '');
  if (!match) return false;
  const credentials = Buffer.from(match[1], 'base64').toString('utf8');
  return constantTimeEqual(credentials, `${user}:${password}`);
}

/** Azure DevOps service hooks with a custom header carrying a shared secret. */
export function verifyAzureDevopsHeader(request: SignedRequest, name: string, secret: string): boolean {
  const header = request.headers[name.toLowerCase()];
  return header !== undefined && constantTimeEqual(header, secret);
}
