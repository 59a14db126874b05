import { verifyAzureDevopsBasic, verifyAzureDevopsHeader } from './azure-devops';
import { verifyBitbucket } from './bitbucket';
import { verifyGithub } from './github';
import { verifyGitlab } from './gitlab';
import { verifyShopify } from './shopify';
import type { SignedRequest } from './signed-request';
import { verifySlack } from './slack';
import { verifyStandardWebhooks } from './standard-webhooks';
import { verifyStripe } from './stripe';

export { constantTimeEqual, hmac, HMAC_ALGORITHMS, type HmacAlgorithm } from './crypto';
export type { SignedRequest } from './signed-request';
export {
  verifyAzureDevopsBasic,
  verifyAzureDevopsHeader,
  verifyBitbucket,
  verifyGithub,
  verifyGitlab,
  verifyShopify,
  verifySlack,
  verifyStandardWebhooks,
  verifyStripe,
};

type Verifier = (request: SignedRequest, args: unknown[]) => boolean;

const text = (value: unknown): value is string => typeof value === 'string';
const tolerance = (value: unknown): number | undefined =>
  value === undefined ? undefined : typeof value === 'number' && value >= 0 ? value : NaN;

/**
 * The signature checks scripts reach through GITHUB.verify and friends, by the name the runtime
 * passes. Arguments come from the script, so each entry checks their types before use.
 */
export const PROVIDER_VERIFIERS: Readonly<Record<string, Verifier>> = {
  'github.verify': (request, [secret]) => text(secret) && verifyGithub(request, secret),
  'gitlab.verify': (request, [token]) => text(token) && verifyGitlab(request, token),
  'bitbucket.verify': (request, [secret]) => text(secret) && verifyBitbucket(request, secret),
  'azureDevops.verifyBasic': (request, [user, password]) =>
    text(user) && text(password) && verifyAzureDevopsBasic(request, user, password),
  'azureDevops.verifyHeader': (request, [name, secret]) =>
    text(name) && text(secret) && verifyAzureDevopsHeader(request, name, secret),
  'slack.verify': (request, [secret, seconds]) => text(secret) && verifySlack(request, secret, tolerance(seconds)),
  'stripe.verify': (request, [secret, seconds]) => text(secret) && verifyStripe(request, secret, tolerance(seconds)),
  'shopify.verify': (request, [secret]) => text(secret) && verifyShopify(request, secret),
  'standardWebhooks.verify': (request, [secret, seconds]) =>
    text(secret) && verifyStandardWebhooks(request, secret, tolerance(seconds)),
};
