import { isScriptIdentifier } from './identifiers';

describe('isScriptIdentifier', () => {
  it.each(['apiKey', '_private', '$ref', 'team_id2', 'API_KEY'])('accepts %j', (name) => {
    expect(isScriptIdentifier(name)).toBe(true);
  });

  it.each([
    '',
    '1st',
    'api-key',
    'a b',
    'class',
    'let',
    'await',
    'yield',
    'null',
    'eval',
    'undefined',
    'x.y',
    'ünïcode',
  ])('refuses %j', (name) => {
    expect(isScriptIdentifier(name)).toBe(false);
  });
});
