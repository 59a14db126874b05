import { lazy, Suspense } from 'react';
import { ApiError } from './api';

/** Where the API says a script does not parse (`script_syntax_error`). */
export interface ScriptProblem {
  line: number;
  column: number;
  message: string;
}

export const scriptProblem = (error: unknown): ScriptProblem | null =>
  error instanceof ApiError && error.line !== undefined
    ? { line: error.line, column: error.column ?? 1, message: error.message }
    : null;

const CodeEditor = lazy(() => import('./code-editor'));

/** A labelled script body editor; the syntax error the API reported is marked at its line and said below. */
export function ScriptEditor({
  id,
  label,
  value,
  onChange,
  readOnly,
  problem,
  names,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  readOnly?: boolean;
  problem?: ScriptProblem | null;
  /** The provider's property names, offered as completions with the script globals. */
  names?: string[];
}) {
  return (
    <div className="editor-field">
      {/* A div, not a label: the editor is not a form control; aria-labelledby names it. */}
      <div className="label" id={`${id}-label`}>
        {label}
      </div>
      <Suspense fallback={<p className="loading">Loading the editor…</p>}>
        <CodeEditor
          labelId={`${id}-label`}
          describedBy={problem ? `${id}-problem` : undefined}
          value={value}
          onChange={onChange}
          readOnly={readOnly}
          problem={problem}
          names={names}
        />
      </Suspense>
      {problem && (
        <p className="error" role="alert" id={`${id}-problem`} data-testid="script-problem">
          Line {problem.line}, column {problem.column}: {problem.message}
        </p>
      )}
    </div>
  );
}
