import { dedupClaim } from './dedup-claim';

describe('dedupClaim', () => {
  const github = { id: 'p1', dedupHeader: 'X-GitHub-Delivery', dedupWindowSeconds: null };

  it('keys a delivery by provider and header value, with the default window of a day', () => {
    expect(dedupClaim(github, { 'x-github-delivery': ' 72d3162e ' })).toEqual({
      key: 'p1:72d3162e',
      header: 'X-GitHub-Delivery',
      value: '72d3162e',
      windowSeconds: 86_400,
    });
    expect(dedupClaim({ ...github, dedupWindowSeconds: 60 }, { 'x-github-delivery': 'a' })?.windowSeconds).toBe(60);
  });

  it('claims nothing without the header, with an empty one, or for a provider that does not deduplicate', () => {
    expect(dedupClaim(github, {})).toBeNull();
    expect(dedupClaim(github, { 'x-github-delivery': '  ' })).toBeNull();
    expect(dedupClaim({ ...github, dedupHeader: null }, { 'x-github-delivery': 'a' })).toBeNull();
  });

  it('keys a very long value by its hash', () => {
    const claim = dedupClaim(github, { 'x-github-delivery': 'x'.repeat(5000) });
    expect(claim?.key).toMatch(/^p1:sha256:[0-9a-f]{64}$/);
    expect(claim?.value).toBe(claim?.key.slice('p1:'.length));
  });
});
