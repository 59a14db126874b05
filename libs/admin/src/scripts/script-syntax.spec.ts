import { ScriptSyntaxError } from '../errors/api-error';
import { assertScriptSyntax } from './script-syntax';

describe('assertScriptSyntax', () => {
  it('throws script_syntax_error naming the field', () => {
    let error: unknown;
    try {
      assertScriptSyntax('matchScript', 'return )');
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(ScriptSyntaxError);
    expect((error as ScriptSyntaxError).getStatus()).toBe(400);
    expect((error as ScriptSyntaxError).body).toEqual({
      error: 'script_syntax_error',
      message: 'matchScript has a syntax error at line 1, column 8: Unexpected token',
      field: 'matchScript',
      line: 1,
      column: 8,
    });
  });
});
