import ivm from 'isolated-vm';
import type { ScriptKind } from './sandbox.types';
import {
  BODY_CHECK_CLOSURE,
  EARLY_CLOSE_MESSAGE,
  SCRIPT_FILENAME,
  SCRIPT_LINE_OFFSET,
  type ScriptSyntaxError,
  errorMessage,
  isSyntaxError,
  kindParameters,
  syntaxErrorOf,
  wrapScript,
} from './script-wrapper';

/**
 * Syntax checks without running anything: compiles the wrapped script in a small isolate of its
 * own (compiling needs no context and never executes code) and parses the body on its own.
 */
export class ScriptChecker {
  private isolate: ivm.Isolate | null = null;
  private context: ivm.Context | null = null;

  check(source: string, kind: ScriptKind): ScriptSyntaxError | null {
    const { isolate, context } = this.open();
    try {
      isolate
        .compileScriptSync(wrapScript(source, kindParameters(kind)), {
          filename: SCRIPT_FILENAME,
          lineOffset: SCRIPT_LINE_OFFSET,
        })
        .release();
    } catch (error) {
      if (isSyntaxError(error)) return syntaxErrorOf(error, source);
      this.dispose(); // out of memory on a huge script: start afresh next time
      return { message: errorMessage(error), line: 1, column: 1 };
    }
    const problem = context.evalClosureSync(BODY_CHECK_CLOSURE, [source], {
      arguments: { copy: true },
      result: { copy: true },
    });
    return problem === null ? null : { message: EARLY_CLOSE_MESSAGE, line: 1, column: 1 };
  }

  dispose(): void {
    if (this.isolate !== null && !this.isolate.isDisposed) this.isolate.dispose();
    this.isolate = null;
    this.context = null;
  }

  private open(): { isolate: ivm.Isolate; context: ivm.Context } {
    if (this.isolate === null || this.context === null || this.isolate.isDisposed) {
      this.isolate = new ivm.Isolate({ memoryLimit: 32 });
      this.context = this.isolate.createContextSync();
    }
    return { isolate: this.isolate, context: this.context };
  }
}
