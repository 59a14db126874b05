import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The name runtime frames carry in stack traces inside the isolate. */
export const RUNTIME_FILENAME = 'hookline-runtime.js';

const read = (file: string): string => readFileSync(join(__dirname, file), 'utf8');

/** Every .js file of this folder, in the order they are joined (all are type-checked; see tsconfig.json). */
export const RUNTIME_FILES = ['lockdown.js', 'verification.js', 'side-effects.js', 'prelude.js'];

/**
 * The in-isolate runtime as one script whose completion value is
 * `install(hostHmac, hostEquals, hostVerify, hostCall)`. It is plain JavaScript kept in .js files
 * so it reads and lints as the code that actually runs in the isolate; the files share a closure.
 */
export const RUNTIME_SOURCE = `(function () {\n'use strict';\n${RUNTIME_FILES.map(read).join('\n')}\nreturn install;\n})()`;
