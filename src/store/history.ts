/**
 * One undo history for the whole design: every change of the text — typed, pasted, or made on the canvas — is an
 * edit of the editor's model, so Ctrl+Z anywhere walks Monaco's undo stack.
 */
import { getEditor } from '../editor/editorHandle';

export function undo() {
  getEditor()?.editor.trigger('meshcraft', 'undo', null);
}

export function redo() {
  getEditor()?.editor.trigger('meshcraft', 'redo', null);
}

/** Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z and Ctrl+Y outside the editor. Returns true when handled. */
export function handleHistoryKey(e: KeyboardEvent | React.KeyboardEvent): boolean {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return false;
  const key = e.key.toLowerCase();
  if (key === 'z' && !e.shiftKey) undo();
  else if ((key === 'z' && e.shiftKey) || key === 'y') redo();
  else return false;
  e.preventDefault();
  return true;
}
