/**
 * The YAML editor: Monaco + monaco-yaml with Istio schema completion and hover; markers from the model worker.
 * Default export, meant to be loaded with `React.lazy(() => import('./editor/YamlEditor'))` so that
 * Monaco (several MB) stays out of the initial bundle.
 *
 * Controlled-ish: the model is the source of truth while the user types; `onChange` reports every
 * edit; a `value` that differs from the editor text and is not an echo of an earlier `onChange` is
 * applied as one undoable edit (only the changed middle of the text is replaced, so the cursor,
 * folds and scroll position survive).
 */
import { useEffect, useRef } from 'react';
import type { Diagnostic, Severity } from '../model/resource';
import { modelText, setEditor } from './editorHandle';
import { ensureYamlLanguage, monaco } from './monaco';
import { isReplaying, trackHistory } from './undoHistory';
import type { TextEdit } from '../worker/textDelta';
import './YamlEditor.css';

export interface YamlEditorProps {
  /** The document text. Changes from outside are applied as a single undoable edit. */
  value: string;
  /** Every user edit (not debounced): the new text, and where it changed (Monaco's changes, in the order they apply). */
  onChange(text: string, edits: TextEdit[]): void;
  /** Shown as Monaco markers under the owner `meshcraft`. */
  diagnostics: Diagnostic[];
  /** Offsets into the text: revealed in the centre, selected and decorated whenever `seq` changes. */
  highlight?: { from: number; to: number; seq: number };
  /** Cursor moves made by the user (not by `value`/`highlight` updates). */
  onCursor?(offset: number): void;
  theme?: 'light' | 'dark';
}

export const MARKER_OWNER = 'meshcraft';

const SEVERITY: Record<Severity, monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
};

let modelCounter = 0;

export default function YamlEditor(props: YamlEditorProps) {
  const { value, diagnostics, highlight, theme = 'light' } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  // Latest callbacks, so that the Monaco listeners never need re-registering.
  const onChangeRef = useRef(props.onChange);
  const onCursorRef = useRef(props.onCursor);
  onChangeRef.current = props.onChange;
  onCursorRef.current = props.onCursor;
  /** Texts sent through onChange that `value` has not caught up with yet (echoes to ignore). */
  const pendingEchoes = useRef<string[]>([]);
  /** The model's version when it last sent its text through onChange (that text is the last pending echo). */
  const reportedVersion = useRef(-1);
  /** True while we change the model or selection ourselves: no onChange/onCursor then. */
  const applying = useRef(false);
  const highlightDecorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);

  // Create the editor once per mount.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    ensureYamlLanguage();
    const model = monaco.editor.createModel(
      value,
      'yaml',
      monaco.Uri.parse(`file:///meshcraft/design-${++modelCounter}.yaml`),
    );
    model.updateOptions({ tabSize: 2, indentSize: 2, insertSpaces: true });
    const editor = monaco.editor.create(container, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      // Chromium's EditContext path drops spaces typed by Playwright's synthetic keys.
      editContext: false,
      scrollBeyondLastLine: false,
      tabSize: 2,
      insertSpaces: true,
      detectIndentation: false,
      wordWrap: 'off',
      renderWhitespace: 'selection',
      // Suggest/hover widgets may overflow the editor's box (the app lays it out in a panel).
      fixedOverflowWidgets: true,
      // Completion comes from the Istio schema; words from the text only add noise to it.
      wordBasedSuggestions: 'off',
      // The YAML grammar tokenizes unquoted keys and values as strings: suggest while typing there too.
      quickSuggestions: { other: true, strings: true, comments: false },
      // Enter after typing a value in full (e.g. `mode: STRICT`) inserts a newline instead of
      // "accepting" the identical suggestion.
      acceptSuggestionOnEnter: 'smart',
      // Features that would ask monaco-yaml's worker to parse the whole design again after every keystroke (sticky
      // scroll's outline, folding, code lenses, links): on two cores that worker would take the CPU the design's own
      // parse needs. Indentation gives YAML's folding and sticky headers without it.
      stickyScroll: { enabled: true, defaultModel: 'indentationModel' },
      foldingStrategy: 'indentation',
      codeLens: false,
      links: false,
      // Distinct from the container's "YAML editor", so that getByLabel('YAML editor') is unambiguous.
      ariaLabel: 'YAML text',
      theme: theme === 'dark' ? 'vs-dark' : 'vs',
    });
    // Brackets are rare in Istio YAML (`hosts: ["*"]`): colouring their pairs collected the brackets of the lines in
    // view on every render (230 KB of garbage per keystroke on 3,000 lines). A model option, set once the editor has
    // pushed its own options to the model (the editor option does not reach it); matching brackets stays.
    model.updateOptions({ bracketColorizationOptions: { enabled: false, independentColorPoolPerBracketType: false } });
    editorRef.current = editor;
    highlightDecorations.current = editor.createDecorationsCollection();
    pendingEchoes.current = [];

    // Undo history kept across reloads (a saved one is rebuilt here when the editor comes after the design).
    const stopHistory = trackHistory(model);
    const subscriptions = [
      model.onDidChangeContent((e) => {
        if (applying.current || isReplaying()) return;
        const text = modelText(model);
        const pending = pendingEchoes.current;
        pending.push(text);
        if (pending.length > 32) pending.splice(0, pending.length - 32);
        reportedVersion.current = model.getVersionId();
        onChangeRef.current(text, e.changes.map((c) => ({ at: c.rangeOffset, del: c.rangeLength, ins: c.text.length })));
      }),
      editor.onDidChangeCursorPosition((e) => {
        if (applying.current || isReplaying() || e.source === 'api' || e.reason === monaco.editor.CursorChangeReason.ContentFlush) return;
        onCursorRef.current?.(model.getOffsetAt(e.position));
      }),
    ];
    setEditor({ editor, monaco }, undefined);

    return () => {
      setEditor(null, editor);
      for (const s of subscriptions) s.dispose();
      stopHistory();
      highlightDecorations.current = null;
      editorRef.current = null;
      monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
      editor.dispose();
      model.dispose();
    };
    // Created once per mount; later props go through the effects below.
  }, []);

  // Outside changes of `value`.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    const pending = pendingEchoes.current;
    // The usual case, on every keystroke: the text just reported, back as the same string (compared by reference, not
    // over the whole design), and the model unchanged since.
    if (value === pending.at(-1) && model.getVersionId() === reportedVersion.current) {
      pending.length = 0;
      return;
    }
    const current = modelText(model);
    if (value === current) {
      pending.length = 0;
      return;
    }
    const echo = pending.indexOf(value);
    if (echo >= 0) {
      // A stale echo of an earlier onChange: the editor is already ahead of it.
      pending.splice(0, echo + 1);
      return;
    }
    pending.length = 0;
    replaceChangedPart(editor, model, current, value, applying);
  }, [value]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(model, MARKER_OWNER, diagnostics.map((d) => toMarker(model, d)));
  }, [diagnostics]);

  const seq = highlight?.seq;
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || !highlight) return;
    const len = model.getValueLength();
    const from = Math.max(0, Math.min(highlight.from, len));
    const to = Math.max(from, Math.min(highlight.to, len));
    const start = model.getPositionAt(from);
    const end = model.getPositionAt(to);
    const range = new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column);
    applying.current = true;
    try {
      editor.setSelection(range);
      editor.revealRangeInCenter(range, monaco.editor.ScrollType.Smooth);
    } finally {
      applying.current = false;
    }
    highlightDecorations.current?.set([
      {
        range,
        options: {
          className: 'meshcraft-highlight',
          isWholeLine: false,
          overviewRuler: { color: 'rgba(255, 170, 0, 0.8)', position: monaco.editor.OverviewRulerLane.Center },
          stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
        },
      },
    ]);
    // Only a new seq means a new request; from/to alone may change as the text is edited.
  }, [seq]);

  useEffect(() => {
    // Monaco's theme is global to the page.
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  return (
    <div
      ref={containerRef}
      role="region"
      aria-label="YAML editor"
      className="meshcraft-yaml-editor"
      data-testid="yaml-editor"
      style={{ width: '100%', height: '100%', minHeight: 0, overflow: 'hidden' }}
    />
  );
}

/** Replaces only the part of `current` that differs from `next`, as one undo step. */
function replaceChangedPart(
  editor: monaco.editor.IStandaloneCodeEditor,
  model: monaco.editor.ITextModel,
  current: string,
  next: string,
  applying: { current: boolean },
) {
  const max = Math.min(current.length, next.length);
  let prefix = 0;
  while (prefix < max && current.charCodeAt(prefix) === next.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    current.charCodeAt(current.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)
  )
    suffix++;
  // Do not split a CRLF or a surrogate pair.
  while (prefix > 0 && splitsPair(current, prefix)) prefix--;
  while (suffix > 0 && splitsPair(current, current.length - suffix)) suffix--;
  const start = model.getPositionAt(prefix);
  const end = model.getPositionAt(current.length - suffix);
  applying.current = true;
  try {
    editor.pushUndoStop();
    editor.executeEdits('meshcraft', [
      {
        range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column),
        text: next.slice(prefix, next.length - suffix),
        forceMoveMarkers: true,
      },
    ]);
    editor.pushUndoStop();
  } finally {
    applying.current = false;
  }
  if (modelText(model) !== next) {
    // Line-ending normalisation (e.g. CRLF in `next`) made the edit inexact: fall back to a full replace.
    applying.current = true;
    try {
      editor.executeEdits('meshcraft', [{ range: model.getFullModelRange(), text: next }]);
      editor.pushUndoStop();
    } finally {
      applying.current = false;
    }
  }
}

/** Whether offset `i` falls inside a surrogate pair or a \r\n. */
function splitsPair(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  const prev = text.charCodeAt(i - 1);
  return (code >= 0xdc00 && code <= 0xdfff && prev >= 0xd800 && prev <= 0xdbff) || (code === 10 && prev === 13);
}

function toMarker(model: monaco.editor.ITextModel, d: Diagnostic): monaco.editor.IMarkerData {
  let range = model.validateRange(
    new monaco.Range(d.range.line, d.range.column, d.range.endLine, d.range.endColumn),
  );
  if (range.isEmpty()) {
    // A zero-width diagnostic would be invisible: underline the word there, else to the line's end.
    const word = model.getWordAtPosition(range.getStartPosition());
    const endColumn = word ? word.endColumn : model.getLineMaxColumn(range.startLineNumber);
    const startColumn = word ? word.startColumn : range.startColumn;
    range =
      endColumn > startColumn
        ? new monaco.Range(range.startLineNumber, startColumn, range.startLineNumber, endColumn)
        : new monaco.Range(range.startLineNumber, 1, range.startLineNumber, model.getLineMaxColumn(range.startLineNumber));
  }
  return {
    severity: SEVERITY[d.severity] ?? monaco.MarkerSeverity.Error,
    message: d.message,
    code: d.code,
    source: MARKER_OWNER,
    startLineNumber: range.startLineNumber,
    startColumn: range.startColumn,
    endLineNumber: range.endLineNumber,
    endColumn: range.endColumn,
  };
}
