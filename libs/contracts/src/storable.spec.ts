import { storable, storableText } from './storable';

describe('storable', () => {
  it('replaces U+0000 and lone surrogates with U+FFFD, keeping paired surrogates', () => {
    expect(storableText('a\u0000b')).toBe('a\ufffdb');
    expect(storableText('x\ud800y')).toBe('x\ufffdy');
    expect(storableText('\udc00')).toBe('\ufffd');
    expect(storableText('emoji 😀 ok')).toBe('emoji 😀 ok');
  });

  it('returns the same value when nothing needs replacing', () => {
    const value = { a: ['b', 1, null, { c: true }] };
    expect(storable(value)).toBe(value);
  });

  it('cleans strings at any depth, keys included, without changing the input', () => {
    const value = { 'k\u0000': ['ok', { deep: 'x\ud800' }], n: 1 };
    expect(storable(value)).toEqual({ 'k\ufffd': ['ok', { deep: 'x\ufffd' }], n: 1 });
    expect(value).toEqual({ 'k\u0000': ['ok', { deep: 'x\ud800' }], n: 1 });
  });

  it('makes JSON that PostgreSQL jsonb accepts', () => {
    expect(JSON.stringify(storable({ a: 'x\u0000y' }))).not.toContain('\\u0000');
  });
});
