import { findSyntaxError } from './script-syntax';

describe('findSyntaxError', () => {
  it.each([
    ['return true;'],
    ['const r = await fetch("x");\nreturn r.ok;'],
    ['if (HEADERS["x-a"]) return 1;\nreturn 2;'],
    [''],
    ['// only a comment'],
    ['const { a, ...rest } = JSON.parse(BODY);\nreturn a?.b ?? rest;'],
    ['for await (const x of xs) { LOG.info(x); }'],
  ])('accepts %j as an async function body', (script) => {
    expect(findSyntaxError(script)).toBeNull();
  });

  it.each([
    ['return (', 1, 9, 'Unexpected token'],
    ['const a = 1;\nreturn a ==;', 2, 12, 'Unexpected token'],
    ['if (true) {\n  return 1;', 2, 12, 'Unexpected token'],
    ['let a;\nlet a;', 2, 5, "Identifier 'a' has already been declared"],
    ['}', 1, 1, 'Unexpected token'],
    ['x = "unterminated', 1, 5, 'Unterminated string constant'],
    ['\tconst = 1', 1, 8, 'Unexpected token'],
    ['with (Math) { return PI; }', 1, 1, "'with' in strict mode"],
    ['return 010;', 1, 8, 'Invalid number'],
    ['let a;\nreturn 0755;', 2, 8, 'Invalid number'],
  ])('reports %j at line %i, column %i', (script, line, column, reason) => {
    expect(findSyntaxError(script)).toEqual({ line, column, reason });
  });

  it('refuses a body that closes the function early', () => {
    expect(findSyntaxError('}); (async function () {')).not.toBeNull();
  });
});
