const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Words a strict-mode variable or parameter may not be named, plus names a variable must not
 * hide (`arguments`, `eval`, `undefined`, `NaN`, `Infinity`).
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined NaN Infinity'
  ).split(' '),
);

/**
 * Whether a provider property can be a script variable of its name: an ASCII identifier that is
 * not reserved. The admin API refuses other names; the sandbox skips them.
 */
export const isScriptIdentifier = (name: string): boolean => IDENTIFIER.test(name) && !RESERVED_NAMES.has(name);
