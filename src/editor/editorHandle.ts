/**
 * The live YAML editor, for features outside the editor module (linked selection, commands) and
 * for tests. Type-only imports: importing this module does not pull Monaco into a bundle.
 *
 * - `getEditor()` returns the mounted editor and the Monaco API it was built with, or null.
 * - `subscribeEditor(fn)` is called on mount/unmount; returns an unsubscribe function.
 * - `window.__meshcraftEditor` holds the same `{ editor, monaco }` (set in every build, so that
 *   Playwright tests against `vite preview` can read markers, models and positions).
 */
import type * as Monaco from 'monaco-editor/editor';

export type MonacoApi = typeof Monaco;
export type EditorInstance = Monaco.editor.IStandaloneCodeEditor;
export interface EditorHandle {
  editor: EditorInstance;
  monaco: MonacoApi;
}

declare global {
  interface Window {
    __meshcraftEditor?: EditorHandle;
  }
}

let current: EditorHandle | null = null;
const listeners = new Set<(handle: EditorHandle | null) => void>();

export function getEditor(): EditorHandle | null {
  return current;
}

/** Called by YamlEditor. `setEditor(null, editor)` clears only if that editor is still current. */
export function setEditor(handle: EditorHandle | null, owner?: EditorInstance): void {
  if (handle === null && owner && current?.editor !== owner) return;
  current = handle;
  if (typeof window !== 'undefined') {
    if (handle) window.__meshcraftEditor = handle;
    else delete window.__meshcraftEditor;
  }
  for (const fn of listeners) fn(handle);
}

export function subscribeEditor(fn: (handle: EditorHandle | null) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const texts = new WeakMap<Monaco.editor.ITextModel, { version: number; text: string }>();
/**
 * The model's text, read once per version of it: the listeners of one change (the editor's, the undo log's, a canvas
 * edit checking what the editor shows) share one string. Each read of a 3,000-line design is a new string of a few
 * hundred kilobytes, which costs this machine's page faults more than the copy.
 */
export function modelText(model: Monaco.editor.ITextModel): string {
  const version = model.getVersionId();
  let cached = texts.get(model);
  if (cached?.version !== version) texts.set(model, (cached = { version, text: model.getValue() }));
  return cached.text;
}
