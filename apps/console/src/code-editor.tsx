import { useEffect, useRef } from 'react';
import { completeFromList, type Completion } from '@codemirror/autocomplete';
import { javascript, javascriptLanguage } from '@codemirror/lang-javascript';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { basicSetup, EditorView } from 'codemirror';
import type { ScriptProblem } from './script-editor';

/** What scripts see (docs/scripting.md), offered as completions. */
const GLOBALS: Completion[] = [
  ...[
    'PAYLOAD',
    'FLX_PRISTINE_PAYLOAD',
    'FLX_MESSAGE_ID',
    'HTTP_HEADERS',
    'QUERY_PARAMS',
    'URI',
    'METHOD',
    'FLX_REMOTE_ADDR',
    'FLX_REMOTE_HOST',
    'FLX_TRY',
    'PROPERTIES',
  ].map((label) => ({ label, type: 'variable', detail: 'message' })),
  ...['info', 'fine', 'warning', 'severe', 'setMessage'].map((name) => ({
    label: `LOG.${name}`,
    type: 'function',
    detail: 'log',
  })),
  ...['sha1', 'sha256', 'sha512', 'equals', 'generateHmacSHA1', 'generateHmacSHA256', 'generateHmacSHA512'].map(
    (name) => ({ label: `HMAC.${name}`, type: 'function', detail: 'HMAC' }),
  ),
  ...[
    'GITHUB.verify',
    'GITLAB.verify',
    'BITBUCKET.verify',
    'AZURE_DEVOPS.verifyBasic',
    'AZURE_DEVOPS.verifyHeader',
    'SLACK.verify',
    'STRIPE.verify',
    'SHOPIFY.verify',
    'STANDARD_WEBHOOKS.verify',
  ].map((label) => ({ label, type: 'function', detail: 'signature' })),
  ...['KAFKA.publish', 'HTTP.request', 'HTTP.fetch'].map((label) => ({
    label,
    type: 'function',
    detail: 'function scripts',
  })),
  ...['RESPONSE.status', 'RESPONSE.body'].map((label) => ({ label, type: 'property', detail: 'function scripts' })),
];

const offsetOf = (state: EditorState, problem: ScriptProblem): number => {
  const line = state.doc.line(Math.min(Math.max(problem.line, 1), state.doc.lines));
  return Math.min(line.from + Math.max(problem.column - 1, 0), line.to);
};

/**
 * CodeMirror 6 with JavaScript highlighting, the script globals (and the provider's properties) as
 * completions, and the API's syntax error as a diagnostic at its line and column. Loaded on demand:
 * it is most of the console's JavaScript and only the editors need it.
 */
export default function CodeEditor({
  labelId,
  describedBy,
  value,
  onChange,
  readOnly,
  problem,
  names = [],
}: {
  labelId: string;
  describedBy?: string;
  value: string;
  onChange: (value: string) => void;
  readOnly?: boolean;
  problem?: ScriptProblem | null;
  names?: string[];
}) {
  const parent = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  const editable = useRef(new Compartment());

  useEffect(() => {
    const completions = [...GLOBALS, ...names.map((label) => ({ label, type: 'constant', detail: 'property' }))];
    view.current = new EditorView({
      parent: parent.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          javascript(),
          javascriptLanguage.data.of({ autocomplete: completeFromList(completions) }),
          lintGutter(),
          editable.current.of([EditorState.readOnly.of(!!readOnly), EditorView.editable.of(!readOnly)]),
          EditorView.contentAttributes.of({ 'aria-labelledby': labelId, 'aria-multiline': 'true', role: 'textbox' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    return () => view.current?.destroy();
    // The editor is made once; later changes of the props are dispatched below.
  }, []);

  useEffect(() => {
    const current = view.current;
    if (current && current.state.doc.toString() !== value) {
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({
      effects: editable.current.reconfigure([EditorState.readOnly.of(!!readOnly), EditorView.editable.of(!readOnly)]),
    });
  }, [readOnly]);

  useEffect(() => {
    const current = view.current;
    if (!current) return;
    const at = problem ? offsetOf(current.state, problem) : 0;
    current.dispatch(
      setDiagnostics(
        current.state,
        problem
          ? [{ from: at, to: Math.min(at + 1, current.state.doc.length), severity: 'error', message: problem.message }]
          : [],
      ),
    );
    if (describedBy) current.contentDOM.setAttribute('aria-describedby', describedBy);
    else current.contentDOM.removeAttribute('aria-describedby');
  }, [problem, describedBy]);

  return <div ref={parent} className="code-editor" />;
}
