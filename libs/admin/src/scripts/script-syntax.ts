import { findSyntaxError } from '@hookline/scripting';
import { ScriptSyntaxError } from '../errors/api-error';

/** Throws `script_syntax_error` naming `field` when the script does not parse. */
export function assertScriptSyntax(field: string, source: string): void {
  const problem = findSyntaxError(source);
  if (problem) throw new ScriptSyntaxError(field, problem.line, problem.column, problem.reason);
}
