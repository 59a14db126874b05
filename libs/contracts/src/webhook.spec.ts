import { normaliseUri } from './webhook';

describe('normaliseUri', () => {
  it.each([
    ['git/push', 'git/push'],
    ['/git/push/', 'git/push'],
    ['//git/push//', 'git/push'],
    ['', ''],
    [undefined, ''],
  ])('%s → %s', (raw, uri) => expect(normaliseUri(raw)).toBe(uri));
});
