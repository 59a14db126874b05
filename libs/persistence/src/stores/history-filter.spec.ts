import { v7 as uuidv7 } from 'uuid';
import { prefixTsQuery, uuidv7Floor, uuidv7Time } from './history-filter';

describe('uuidv7Floor', () => {
  it('is the smallest UUIDv7 of its millisecond', () => {
    const at = Date.parse('2026-11-29T10:00:00.123Z');

    const floor = uuidv7Floor(at);

    expect(uuidv7Time(floor).getTime()).toBe(at);
    for (let i = 0; i < 100; i++) {
      expect(uuidv7({ msecs: at }) >= floor).toBe(true);
      expect(uuidv7({ msecs: at - 1 }) < floor).toBe(true);
    }
  });

  it('orders like the ids it bounds', () => {
    expect(uuidv7Floor(new Date('2026-01-01T00:00:00Z')) < uuidv7Floor(new Date('2026-01-01T00:00:00.001Z'))).toBe(
      true,
    );
    expect(uuidv7Floor(0)).toBe('00000000-0000-7000-8000-000000000000');
  });
});

describe('prefixTsQuery', () => {
  it('makes every word a quoted prefix, all required', () => {
    expect(prefixTsQuery('  deploy   Fail ')).toBe("'deploy':* & 'Fail':*");
  });

  it('reads URIs like the URI filter does', () => {
    expect(prefixTsQuery('/git/push/')).toBe("'git/push':*");
  });

  it('escapes quotes and backslashes', () => {
    expect(prefixTsQuery(`it's a\\b`)).toBe(`'it''s':* & 'a\\\\b':*`);
  });

  it('has nothing to search without a word', () => {
    expect(prefixTsQuery('  / ')).toBeNull();
  });
});
