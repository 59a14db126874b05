// @ts-check
// Runs inside the isolate, as part of the runtime (see prelude.js): HMAC and the provider helpers.
// Every digest and comparison is made on the host with node:crypto, over the raw body when the
// script signs the pristine payload; the isolate only checks arguments and reads headers.

/* exported createVerification */
function createVerification(bridges, runtime) {
  'use strict';
  const { hostHmac, hostEquals, hostVerify } = bridges;
  const { currentRun, payloadOf } = runtime;
  const { freeze } = Object;
  const { isArray } = Array;
  const NativeSet = Set;

  function hmacOf(algorithm) {
    const label = `HMAC.${algorithm}`;
    return (data, key, encoding = 'hex') => {
      if (typeof data !== 'string') throw new TypeError(`${label}: data must be a string`);
      if (typeof key !== 'string') throw new TypeError(`${label}: key must be a string`);
      if (encoding !== 'hex' && encoding !== 'base64')
        throw new TypeError(`${label}: encoding must be 'hex' or 'base64'`);
      // The pristine payload is signed as the bytes the sender sent, not as this string re-encoded.
      const run = currentRun();
      const pristine = run !== null && data === run.body;
      return hostHmac(algorithm, pristine ? null : data, key, encoding);
    };
  }

  const HMAC = freeze({
    sha1: hmacOf('sha1'),
    sha256: hmacOf('sha256'),
    sha512: hmacOf('sha512'),
    equals: (a, b) => typeof a === 'string' && typeof b === 'string' && hostEquals(a, b),
    generateHmacSHA1: (data, key) => HMAC.sha1(data, key, 'hex'),
    generateHmacSHA256: (data, key) => HMAC.sha256(data, key, 'hex'),
    generateHmacSHA512: (data, key) => HMAC.sha512(data, key, 'hex'),
  });

  // Only strings and numbers cross to the host; anything else makes the check fail, never throw.
  const verifier =
    (name) =>
    (...args) =>
      hostVerify(
        name,
        args.map((arg) => (typeof arg === 'string' || typeof arg === 'number' ? arg : null)),
      );

  function headerOf(name) {
    const run = currentRun();
    if (run === null) return null;
    const value = run.input.headers[name];
    return typeof value === 'string' ? value : null;
  }

  function branchOf(payload) {
    const ref = payload !== null && typeof payload === 'object' ? payload.ref : undefined;
    return typeof ref === 'string' && ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
  }

  function commitsOf(payload) {
    return payload !== null && typeof payload === 'object' && isArray(payload.commits) ? payload.commits : [];
  }

  function changedFilesOf(payload) {
    const files = new NativeSet();
    for (const commit of commitsOf(payload)) {
      if (commit === null || typeof commit !== 'object') continue;
      for (const list of [commit.added, commit.modified, commit.removed]) {
        if (!isArray(list)) continue;
        for (const file of list) if (typeof file === 'string') files.add(file);
      }
    }
    return [...files];
  }

  const GITHUB = freeze({
    verify: verifier('github.verify'),
    get event() {
      return headerOf('x-github-event');
    },
    get deliveryId() {
      return headerOf('x-github-delivery');
    },
    get branch() {
      return branchOf(payloadOf(currentRun()));
    },
    get commits() {
      return commitsOf(payloadOf(currentRun()));
    },
    get changedFiles() {
      return changedFilesOf(payloadOf(currentRun()));
    },
  });

  const GITLAB = freeze({
    verify: verifier('gitlab.verify'),
    get event() {
      return headerOf('x-gitlab-event');
    },
    get branch() {
      return branchOf(payloadOf(currentRun()));
    },
  });

  const BITBUCKET = freeze({ verify: verifier('bitbucket.verify') });
  const AZURE_DEVOPS = freeze({
    verifyBasic: verifier('azureDevops.verifyBasic'),
    verifyHeader: verifier('azureDevops.verifyHeader'),
  });
  const SLACK = freeze({ verify: verifier('slack.verify') });
  const STRIPE = freeze({ verify: verifier('stripe.verify') });
  const SHOPIFY = freeze({ verify: verifier('shopify.verify') });
  const STANDARD_WEBHOOKS = freeze({ verify: verifier('standardWebhooks.verify') });

  return { HMAC, GITHUB, GITLAB, BITBUCKET, AZURE_DEVOPS, SLACK, STRIPE, SHOPIFY, STANDARD_WEBHOOKS };
}
