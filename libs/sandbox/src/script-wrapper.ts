import { isScriptIdentifier } from '@hookline/scripting';
import type { ScriptKind } from './sandbox.types';

/** The name user-script frames carry in stack traces; the runtime looks for it to find positions. */
export const SCRIPT_FILENAME = 'hookline-script.js';

/** Everything before the user's code sits on the wrapper's first line, so lines shift by one. */
export const SCRIPT_LINE_OFFSET = -1;

/** Globals only function scripts get; they are parameters so match scripts never see them. */
const FUNCTION_PARAMETERS = ['RESPONSE', 'KAFKA', 'HTTP'] as const;

/**
 * Wraps a script body as a factory: `(RESPONSE, KAFKA, HTTP, <properties>) => Promise`. The body
 * sits in an inner function so it may declare names the parameters already use.
 */
export function wrapScript(body: string, parameters: readonly string[]): string {
  return `(function (${parameters.join(', ')}) { "use strict"; return (async function () {\n${body}\n})(); })`;
}

/** The kind's own parameters: RESPONSE, KAFKA and HTTP for function scripts, none for match scripts. */
export function kindParameters(kind: ScriptKind): readonly string[] {
  return kind === 'function' ? FUNCTION_PARAMETERS : [];
}

/**
 * Provider properties that become variables of their name: valid identifiers that are not
 * reserved and do not hide a global (`globals` lists the runtime's). First of a name wins.
 */
export function propertyParameters(
  kind: ScriptKind,
  properties: ReadonlyArray<{ name: string; value: string }>,
  globals: ReadonlySet<string>,
): { names: string[]; values: string[] } {
  const taken = new Set<string>(kindParameters(kind));
  const names: string[] = [];
  const values: string[] = [];
  for (const { name, value } of properties) {
    if (!isScriptIdentifier(name) || globals.has(name) || taken.has(name)) continue;
    taken.add(name);
    names.push(name);
    values.push(String(value));
  }
  return { names, values };
}

/** Stands in for V8's message when a body parses on its own only by closing the wrapper early. */
export const EARLY_CLOSE_MESSAGE = "the script closes its function body early (unbalanced '}')";

/**
 * Run in a context with the script body as $0: null when the body is a valid function body on its
 * own. V8's function constructor parses the body alone, so a body that would close the wrapper
 * and add code after it fails here although the wrapped text compiles.
 */
export const BODY_CHECK_CLOSURE = `
  try {
    new (Object.getPrototypeOf(async function () {}).constructor)('"use strict";\\n' + $0);
    return null;
  } catch (error) {
    return String(error && error.message);
  }`;

/** A syntax error of the user's script with its position in the user's text (1-based). */
export interface ScriptSyntaxError {
  message: string;
  line: number;
  column: number;
}

const COMPILE_POSITION = / \[hookline-script\.js:(-?\d+):(\d+)\]$/;

/**
 * Reads isolated-vm's compile error ("Unexpected token '=' [hookline-script.js:2:7]") into a
 * message and a position, moved into the user's text when it points at the wrapper.
 */
export function syntaxErrorOf(error: unknown, body: string): ScriptSyntaxError {
  const text = errorMessage(error);
  const match = COMPILE_POSITION.exec(text);
  if (!match) return { message: text, line: 1, column: 1 };
  const lines = body.split('\n');
  const line = Number(match[1]);
  if (line < 1) return { message: text.slice(0, match.index), line: 1, column: 1 };
  if (line > lines.length) {
    // V8 stumbled on the wrapper's closing text: the script itself ended in the middle of something.
    return { message: 'Unexpected end of input', line: lines.length, column: lines[lines.length - 1].length + 1 };
  }
  return { message: text.slice(0, match.index), line, column: Number(match[2]) };
}

/**
 * Whether isolated-vm threw a SyntaxError. Checked by name: its errors are made in Node's main
 * realm, so `instanceof` fails wherever the caller runs in another realm (as under jest).
 */
export function isSyntaxError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'SyntaxError';
}

export function errorMessage(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
