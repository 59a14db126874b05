import { parse } from 'acorn';

/** Where a script fails to parse; line and column are 1-based. */
export interface SyntaxProblem {
  line: number;
  column: number;
  reason: string;
}

/** Scripts run in strict mode; the directive shares the first line so that lines keep their numbers. */
const STRICT = '"use strict"; ';

/**
 * Parses a script as the strict body of an async function, which is how the sandbox runs it:
 * top-level `return` and `await` are allowed, `with` and octal literals are not. Nothing is
 * executed, so the admin API can check a script without running it.
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

function hasLocation(error: SyntaxError): error is SyntaxError & { loc: { line: number; column: number } } {
  const loc = (error as { loc?: unknown }).loc;
  return typeof loc === 'object' && loc !== null && 'line' in loc && 'column' in loc;
}
