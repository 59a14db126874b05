import { parse } from 'acorn';
import { ScriptSyntaxError } from '../errors/api-error';

/** Where a script fails to parse; line and column are 1-based. */
export interface SyntaxProblem {
  line: number;
  column: number;
  reason: string;
}

/** Scripts run in strict mode; the directive shares the first line so that lines keep their numbers. */
const STRICT = '"use strict"; ';

/**
 * Parses a script as the strict body of an async function, which is how scripts run: top-level
 * `return` and `await` are allowed, `with` and octal literals are not. Nothing is executed.
 */
export function findSyntaxError(source: string): SyntaxProblem | null {
  try {
    parse(STRICT + source, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      locations: true,
    });
    return null;
  } catch (error) {
    if (!(error instanceof SyntaxError) || !hasLocation(error)) throw error;
    const { line, column } = error.loc;
    return {
      line,
      column: (line === 1 ? Math.max(0, column - STRICT.length) : column) + 1,
      // acorn appends "(line:column)" with a 0-based column; the position is reported separately.
      reason: error.message.replace(/ \(\d+:\d+\)$/, ''),
    };
  }
}

/** Throws `script_syntax_error` naming `field` when the script does not parse. */
export function assertScriptSyntax(field: string, source: string): void {
  const problem = findSyntaxError(source);
  if (problem) throw new ScriptSyntaxError(field, problem.line, problem.column, problem.reason);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

// Reserved in strict mode, or names a variable must not hide; the sandbox skips such properties.
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined NaN Infinity'
  ).split(' '),
);

/** A name scripts can see a provider property under: an ASCII identifier that is not reserved. */
export const isIdentifier = (name: string): boolean => IDENTIFIER.test(name) && !RESERVED.has(name);

function hasLocation(error: SyntaxError): error is SyntaxError & { loc: { line: number; column: number } } {
  const loc = (error as { loc?: unknown }).loc;
  return typeof loc === 'object' && loc !== null && 'line' in loc && 'column' in loc;
}
