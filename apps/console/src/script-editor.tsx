import { useRef } from 'react';
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

/** Offset in `text` of a 1-based line and column. */
const offsetOf = (text: string, line: number, column: number): number => {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  return offset + column - 1;
};

/**
 * A script body editor: line numbers, and the syntax error the API reported marked at its line;
 * "Go to line" puts the cursor at its column.
 */
export function ScriptEditor({
  id,
  label,
  value,
  onChange,
  readOnly,
  problem,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  readOnly?: boolean;
  problem?: ScriptProblem | null;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split('\n').length;
  const goTo = () => {
    if (!problem || !area.current) return;
    const offset = offsetOf(value, problem.line, problem.column);
    area.current.focus();
    area.current.setSelectionRange(offset, offset);
  };
  return (
    <div className="editor-field">
      <label htmlFor={id}>{label}</label>
      <div className={problem ? 'editor has-problem' : 'editor'}>
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} className={problem?.line === i + 1 ? 'problem-line' : undefined}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          id={id}
          ref={area}
          value={value}
          spellCheck={false}
          readOnly={readOnly}
          rows={Math.min(Math.max(lines + 1, 6), 30)}
          aria-invalid={!!problem}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(event) => onChange(event.target.value)}
          onScroll={(event) => {
            if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
          }}
          onKeyDown={(event) => {
            // Tab indents inside the editor; Escape then Tab leaves it (keyboard users are not trapped).
            if (event.key === 'Tab' && !event.shiftKey && !readOnly && event.currentTarget.dataset.escaped !== '1') {
              event.preventDefault();
              const target = event.currentTarget;
              const start = target.selectionStart;
              onChange(`${value.slice(0, start)}  ${value.slice(target.selectionEnd)}`);
              requestAnimationFrame(() => target.setSelectionRange(start + 2, start + 2));
            }
            event.currentTarget.dataset.escaped = event.key === 'Escape' ? '1' : '';
          }}
        />
      </div>
      {problem && (
        <p className="error" role="alert" id={`${id}-problem`} data-testid="script-problem">
          Line {problem.line}, column {problem.column}: {problem.message}{' '}
          <button type="button" className="link" onClick={goTo}>
            Go to line {problem.line}
          </button>
        </p>
      )}
    </div>
  );
}
