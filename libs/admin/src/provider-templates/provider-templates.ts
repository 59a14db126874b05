import type { ProviderTemplate, TemplateProperty } from './dto/provider-template.dto';

const script = (...lines: string[]): string => lines.join('\n');

const webhookSecret = (where: string): TemplateProperty => ({
  name: 'WEBHOOK_SECRET',
  secret: true,
  description: `The secret set on the webhook ${where}.`,
  required: true,
});

/**
 * The templates `GET /api/v1/provider-templates` lists. Their match scripts are documented in
 * docs/scripting.md ("Templates") and run against real signatures in templates.sandbox.spec.ts.
 */
export const PROVIDER_TEMPLATES: readonly ProviderTemplate[] = [
  {
    id: 'github',
    name: 'GitHub',
    description: 'GitHub webhooks signed with a secret (X-Hub-Signature-256).',
    matchScript: script(
      '// GitHub signs the raw body with the secret: X-Hub-Signature-256: sha256=<hex>.',
      'return GITHUB.verify(WEBHOOK_SECRET);',
    ),
    properties: [webhookSecret('(repository or organization Settings → Webhooks → Secret)')],
  },
  {
    id: 'gitlab',
    name: 'GitLab',
    description: 'GitLab webhooks with a secret token (X-Gitlab-Token).',
    matchScript: script(
      '// GitLab sends the secret token itself in X-Gitlab-Token.',
      'return GITLAB.verify(WEBHOOK_TOKEN);',
    ),
    properties: [
      {
        name: 'WEBHOOK_TOKEN',
        secret: true,
        description: 'The secret token set on the webhook (project or group Settings → Webhooks → Secret token).',
        required: true,
      },
    ],
  },
  {
    id: 'bitbucket-cloud',
    name: 'Bitbucket Cloud',
    description: 'Bitbucket Cloud webhooks signed with a secret (X-Hub-Signature).',
    matchScript: script(
      '// Bitbucket Cloud names the event in X-Event-Key and signs the raw body: X-Hub-Signature: sha256=<hex>.',
      "return HTTP_HEADERS['x-event-key'] !== undefined && BITBUCKET.verify(WEBHOOK_SECRET);",
    ),
    properties: [webhookSecret('(repository settings → Webhooks → Secret)')],
  },
  {
    id: 'bitbucket-server',
    name: 'Bitbucket Server',
    description: 'Bitbucket Server and Data Center webhooks signed with a secret (X-Hub-Signature).',
    matchScript: script(
      '// Bitbucket Server and Data Center name the event in X-Event-Key and sign the raw body:',
      '// X-Hub-Signature: sha256=<hex>.',
      "return HTTP_HEADERS['x-event-key'] !== undefined && BITBUCKET.verify(WEBHOOK_SECRET);",
    ),
    properties: [webhookSecret('(repository or project settings → Webhooks → Secret)')],
  },
  {
    id: 'azure-devops',
    name: 'Azure DevOps',
    description: 'Azure DevOps service hooks (Web Hooks) with basic authentication.',
    matchScript: script(
      '// Azure DevOps service hooks send the user name and password set on the subscription',
      '// as Authorization: Basic <base64(user:password)>.',
      'return AZURE_DEVOPS.verifyBasic(HOOK_USER, HOOK_PASSWORD);',
    ),
    properties: [
      {
        name: 'HOOK_USER',
        secret: false,
        description: 'The basic authentication user name set on the service hook subscription.',
        required: true,
      },
      {
        name: 'HOOK_PASSWORD',
        secret: true,
        description: 'The basic authentication password set on the service hook subscription.',
        required: true,
      },
    ],
  },
  {
    id: 'jira',
    name: 'Jira',
    description: 'Jira Cloud webhooks signed with a secret (X-Hub-Signature, HMAC-SHA256).',
    matchScript: script(
      '// Jira Cloud signs the raw body with the webhook secret: X-Hub-Signature: sha256=<hex>.',
      "const signature = (HTTP_HEADERS['x-hub-signature'] || '').trim().toLowerCase();",
      "return HMAC.equals(signature, 'sha256=' + HMAC.sha256(FLX_PRISTINE_PAYLOAD, WEBHOOK_SECRET));",
    ),
    properties: [webhookSecret('(Jira settings → System → WebHooks → Secret)')],
  },
  {
    id: 'slack',
    name: 'Slack',
    description: 'Slack requests (Events API, slash commands, interactivity) signed with the signing secret.',
    matchScript: script(
      '// Slack signs "v0:<timestamp>:<body>" with the app\'s signing secret: X-Slack-Signature: v0=<hex>,',
      '// and refuses requests older than 5 minutes (X-Slack-Request-Timestamp).',
      'return SLACK.verify(SLACK_SIGNING_SECRET);',
    ),
    properties: [
      {
        name: 'SLACK_SIGNING_SECRET',
        secret: true,
        description: "The app's signing secret (api.slack.com/apps → Basic Information → Signing Secret).",
        required: true,
      },
    ],
  },
  {
    id: 'stripe',
    name: 'Stripe',
    description: 'Stripe webhook events signed with the endpoint secret (Stripe-Signature).',
    matchScript: script(
      '// Stripe signs "<timestamp>.<body>" with the endpoint secret: Stripe-Signature: t=<timestamp>,v1=<hex>;',
      '// requests older than 5 minutes are refused.',
      'return STRIPE.verify(STRIPE_WEBHOOK_SECRET);',
    ),
    properties: [
      {
        name: 'STRIPE_WEBHOOK_SECRET',
        secret: true,
        description: "The endpoint's signing secret, whsec_… (Dashboard → Developers → Webhooks → Signing secret).",
        required: true,
      },
    ],
  },
  {
    id: 'shopify',
    name: 'Shopify',
    description: 'Shopify webhooks signed with the app secret (X-Shopify-Hmac-Sha256).',
    matchScript: script(
      '// Shopify signs the raw body: X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256>.',
      'return SHOPIFY.verify(SHOPIFY_WEBHOOK_SECRET);',
    ),
    properties: [
      {
        name: 'SHOPIFY_WEBHOOK_SECRET',
        secret: true,
        description:
          "The app's client secret, or for webhooks created in the admin, the key shown under Settings → Notifications → Webhooks.",
        required: true,
      },
    ],
  },
  {
    id: 'standard-webhooks',
    name: 'Standard Webhooks',
    description:
      'Senders following standardwebhooks.com (Svix and others): webhook-id, webhook-timestamp, webhook-signature.',
    matchScript: script(
      '// Standard Webhooks sign "<webhook-id>.<webhook-timestamp>.<body>": webhook-signature: v1,<base64> …;',
      '// requests older than 5 minutes are refused.',
      'return STANDARD_WEBHOOKS.verify(WEBHOOK_SECRET);',
    ),
    properties: [
      {
        name: 'WEBHOOK_SECRET',
        secret: true,
        description: 'The signing secret, base64 with or without its whsec_ prefix.',
        required: true,
      },
    ],
  },
  {
    id: 'hmac',
    name: 'Generic HMAC',
    description: 'Any sender that puts an HMAC of the raw body in a header of its own.',
    matchScript: script(
      '// SIGNATURE_HEADER holds SIGNATURE_PREFIX followed by the HMAC of the raw body.',
      "const algorithm = PROPERTIES.HMAC_ALGORITHM || 'sha256';",
      "const encoding = PROPERTIES.SIGNATURE_ENCODING || 'hex';",
      "const prefix = PROPERTIES.SIGNATURE_PREFIX || '';",
      "if (!['sha1', 'sha256', 'sha512'].includes(algorithm)) throw new Error('HMAC_ALGORITHM must be sha1, sha256 or sha512');",
      "if (encoding !== 'hex' && encoding !== 'base64') throw new Error('SIGNATURE_ENCODING must be hex or base64');",
      "const header = (HTTP_HEADERS[SIGNATURE_HEADER.toLowerCase()] || '').trim();",
      'if (!header.startsWith(prefix)) return false;',
      'const signature = header.slice(prefix.length);',
      'const expected = HMAC[algorithm](FLX_PRISTINE_PAYLOAD, WEBHOOK_SECRET, encoding);',
      "return HMAC.equals(encoding === 'hex' ? signature.toLowerCase() : signature, expected);",
    ),
    properties: [
      {
        name: 'SIGNATURE_HEADER',
        secret: false,
        description: 'The header carrying the signature, e.g. X-Signature.',
        required: true,
      },
      { name: 'WEBHOOK_SECRET', secret: true, description: 'The key the sender signs with.', required: true },
      { name: 'HMAC_ALGORITHM', secret: false, description: 'sha1, sha256 (default) or sha512.', required: false },
      {
        name: 'SIGNATURE_PREFIX',
        secret: false,
        description: 'Text before the digest in the header, e.g. sha256= (default: none).',
        required: false,
      },
      { name: 'SIGNATURE_ENCODING', secret: false, description: 'hex (default) or base64.', required: false },
    ],
  },
  {
    id: 'token',
    name: 'Generic token',
    description: 'Any sender that sends a shared token in a header or in a query parameter.',
    matchScript: script(
      '// The shared TOKEN, sent in the header TOKEN_HEADER or in the query parameter TOKEN_PARAM.',
      '// With TOKEN_HEADER=Authorization, "Bearer <token>" works too.',
      'const header = PROPERTIES.TOKEN_HEADER;',
      'const param = PROPERTIES.TOKEN_PARAM;',
      "if (!header && !param) throw new Error('set the property TOKEN_HEADER or TOKEN_PARAM');",
      "let sent = header ? HTTP_HEADERS[header.toLowerCase()] || '' : '';",
      "if (header && header.toLowerCase() === 'authorization') sent = sent.replace(/^Bearer\\s+/i, '');",
      "if (!sent && param && typeof QUERY_PARAMS[param] === 'string') sent = QUERY_PARAMS[param];",
      "return sent !== '' && HMAC.equals(sent, TOKEN);",
    ),
    properties: [
      { name: 'TOKEN', secret: true, description: 'The token the sender sends.', required: true },
      {
        name: 'TOKEN_HEADER',
        secret: false,
        description: 'The header carrying the token, e.g. X-Webhook-Token (set this or TOKEN_PARAM).',
        required: false,
      },
      {
        name: 'TOKEN_PARAM',
        secret: false,
        description:
          'The query parameter carrying the token, e.g. token (set this or TOKEN_HEADER). The query string is kept with the message and shown by the messages API: prefer a header when the sender allows one.',
        required: false,
      },
    ],
  },
];
