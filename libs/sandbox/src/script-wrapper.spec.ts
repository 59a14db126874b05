import { propertyParameters, syntaxErrorOf, wrapScript } from './script-wrapper';

describe('script wrapper', () => {
  it('puts the body on lines of its own after a one-line header', () => {
    const wrapped = wrapScript('return 1', ['A', 'B']);
    expect(wrapped.split('\n')).toEqual([
      '(function (A, B) { "use strict"; return (async function () {',
      'return 1',
      '})(); })',
    ]);
  });

  it('turns properties into parameters only when the name is safe', () => {
    const globals = new Set(['JSON', 'LOG']);
    const properties = [
      { name: 'SECRET', value: 's' },
      { name: 'JSON', value: 'x' },
      { name: 'with-dash', value: 'x' },
      { name: 'let', value: 'x' },
      { name: 'HTTP', value: 'x' },
      { name: '$ok_1', value: 'y' },
      { name: 'SECRET', value: 'second' },
    ];
    expect(propertyParameters('function', properties, globals)).toEqual({
      names: ['SECRET', '$ok_1'],
      values: ['s', 'y'],
    });
    expect(propertyParameters('match', properties, globals).names).toEqual(['SECRET', 'HTTP', '$ok_1']);
  });

  it('reads positions from isolated-vm compile errors', () => {
    const error = Object.assign(new Error("Unexpected token '=' [hookline-script.js:2:7]"), { name: 'SyntaxError' });
    expect(syntaxErrorOf(error, 'a\nb = = 1')).toEqual({ message: "Unexpected token '='", line: 2, column: 7 });
  });

  it('moves errors in the wrapper to the end of the script', () => {
    const error = new Error("Unexpected token ')' [hookline-script.js:3:2]");
    expect(syntaxErrorOf(error, 'if (x) {\n  y()')).toEqual({ message: 'Unexpected end of input', line: 2, column: 6 });
  });
});
