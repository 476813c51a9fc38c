import { lazy, Suspense, useEffect } from 'react';
import MeshCanvas from '../canvas/MeshCanvas';
import primer from '../examples/primer.yaml?raw';
import { elementAt } from '../graph/lookup';
import { fieldAtPacked } from '../model/sourcemap';
import { handleHistoryKey } from '../store/history';
import { startDesigns } from '../store/autosave';
import { startPipeline } from '../store/pipeline';
import { startLessons } from '../store/lessons';
import { startShareLinks } from '../store/shareLinks';
import { useStore } from '../store/store';
import type { TextEdit } from '../worker/textDelta';
import { ImportDialog } from './ImportDialog';
import { Drawer } from './Drawer';
import { ExampleNote } from './ExampleNote';
import { FirstRunHint } from './FirstRunHint';
import { LessonPanel } from './LessonPanel';
import { ShareLayer } from './ShareLayer';
import { useDiagnostics } from './useDiagnostics';
import { useImport } from './useImport';
import { SplitPane } from './SplitPane';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';

// Monaco is large: load it after the canvas has painted.
const YamlEditor = lazy(() => import('../editor/YamlEditor'));

const onEditorChange = (text: string, edits: TextEdit[]) => useStore.getState().setText(text, 'editor', edits);

/**
 * Linked selection: the cursor in the YAML selects the canvas element its lines belong to — once the cursor rests
 * (while typing, the source map of each new parse would be unpacked for a selection nobody looks at).
 */
let cursorTimer: ReturnType<typeof setTimeout> | undefined;
const onEditorCursor = (offset: number) => {
  clearTimeout(cursorTimer);
  cursorTimer = setTimeout(() => {
    const { sourceMap, graph, select, selection, analyzedVersion, version } = useStore.getState();
    if (analyzedVersion !== version) return onEditorCursor(offset); // offsets of a newer text: wait for its map
    const field = fieldAtPacked(sourceMap, offset);
    const hit = field && elementAt(graph, field.key, field.path);
    if (hit?.id !== selection?.id) select(hit);
  }, 60);
};

function EditorPane() {
  const text = useStore((s) => s.text);
  const markers = useDiagnostics();
  const reveal = useStore((s) => s.reveal);
  const theme = useStore((s) => s.theme);
  return (
    <section className="editor-pane" aria-label="YAML">
      <Suspense fallback={<div className="editor-loading" role="status">Loading the YAML editor…</div>}>
        <YamlEditor value={text} onChange={onEditorChange} onCursor={onEditorCursor} diagnostics={markers} highlight={reveal} theme={theme} />
      </Suspense>
    </section>
  );
}

function CanvasPane() {
  const stale = useStore((s) => s.stale);
  const problem = useStore((s) => s.problem);
  const empty = useStore((s) => s.graph.nodes.length === 0);
  return (
    <section className={`canvas-pane ${stale ? 'is-stale' : ''}`} aria-label="Canvas">
      {stale ? (
        <div className="stale-banner" role="alert">
          <strong>Showing the last valid design.</strong> {problem ?? 'The YAML does not parse.'}
        </div>
      ) : null}
      {empty && !stale ? <div className="canvas-empty">Type or paste Istio YAML in the editor to see the mesh here.</div> : null}
      <div className="canvas-area">
        <MeshCanvas />
      </div>
      <ExampleNote />
      <LessonPanel />
      <FirstRunHint />
      <Drawer />
    </section>
  );
}

export default function App() {
  const theme = useStore((s) => s.theme);
  const { candidate, close, openFiles, dragging } = useImport();
  useEffect(() => {
    const stopPipeline = startPipeline();
    let stopAutosave = () => {};
    let stopLinks = () => {};
    let stopLessons = () => {};
    let cancelled = false;
    // This tab's design (the last one edited here, else the newest free one, else the example), kept saved.
    void startDesigns(primer).then((stop) => {
      if (cancelled) return stop();
      stopAutosave = stop;
      // A share link in the address replaces the design only once it has been checked.
      stopLinks = startShareLinks();
      stopLessons = startLessons();
    });
    return () => {
      cancelled = true;
      stopPipeline();
      stopAutosave();
      stopLinks();
      stopLessons();
    };
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  // Ctrl+Z / Ctrl+Shift+Z anywhere but in the editor (which has its own) and form fields walk the one history.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t?.closest('.monaco-editor, input, textarea, select, [contenteditable="true"]')) return;
      handleHistoryKey(e);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className={`app theme-${theme}`}>
      <Toolbar onOpenFiles={openFiles} />
      <main className="workspace">
        <SplitPane left={<CanvasPane />} right={<EditorPane />} />
      </main>
      <StatusBar />
      <ShareLayer />
      {candidate ? <ImportDialog candidate={candidate} onClose={close} /> : null}
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          Drop YAML files to import them
        </div>
      ) : null}
    </div>
  );
}
