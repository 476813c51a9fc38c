/**
 * The editor's undo history, kept across reloads. Monaco's undo stack (the one history of the design: typed edits
 * and canvas edits alike) is mirrored in an UndoLog as it changes: every content change is a replacement, every undo
 * stop (the model's pushStackElement, which Monaco's typing, commands and our canvas edits all go through) ends a
 * step, and undo and redo move the position. Autosave stores the log with the design; on load the stack is rebuilt
 * by replaying the steps through the model itself, so after a reload Ctrl+Z and Ctrl+Shift+Z walk the same steps.
 *
 * Type-only Monaco imports: autosave can import this module without pulling Monaco into its bundle.
 */
import type * as Monaco from 'monaco-editor/editor';
import { diffOp, historyBase, UndoLog, type SavedHistory } from './undoLog';

type Model = Monaco.editor.ITextModel;

let tracked: { model: Model; log: UndoLog; text: () => string } | undefined;
/** A history waiting for the editor (not mounted yet, or being re-created) and the text it belongs to. */
let pending: { text: string; history?: SavedHistory } | undefined;
let replaying = false;

/** True while a history is being rebuilt: the editor's text passes through older versions, which are no edits. */
export const isReplaying = () => replaying;

/** Mirrors the model's undo stack from now on; applies a history waiting for it. Returns the function to stop. */
export function trackHistory(model: Model): () => void {
  const log = new UndoLog();
  let text = model.getValue();
  const push = model.pushStackElement;
  const pop = model.popStackElement;
  model.pushStackElement = () => {
    log.close();
    push.call(model);
  };
  model.popStackElement = () => {
    pop.call(model);
    log.reopen();
  };
  const sub = model.onDidChangeContent((e) => {
    const next = model.getValue();
    const mark = model.getAlternativeVersionId();
    if (e.isFlush) log.reset();
    else if (e.isUndoing || e.isRedoing) log.moved(e.isUndoing ? 'undo' : 'redo', mark, text, next);
    else {
      const op = diffOp(text, next);
      if (op) log.record(op, mark);
    }
    text = next;
  });
  tracked = { model, log, text: () => text };
  if (pending && pending.text === text) rebuild(model, pending.text, pending.history);
  pending = undefined;
  return () => {
    sub.dispose();
    model.pushStackElement = push;
    model.popStackElement = pop;
    if (tracked?.model !== model) return;
    // The editor goes away (unmounted, re-created): its history waits for the next one.
    pending = { text, history: log.save(text) };
    tracked = undefined;
  };
}

/**
 * The editor now shows `text` with this history (none: a fresh one). Replaces whatever the editor held, at once when
 * it is there, else when it comes.
 */
export function loadHistory(text: string, history: SavedHistory | undefined) {
  if (tracked) rebuild(tracked.model, text, history);
  else pending = { text, history };
}

/** The history to save with `text`, when the editor's history belongs to that text. */
export function savedHistory(text: string): SavedHistory | undefined {
  if (tracked) return tracked.text() === text ? tracked.log.save(text) : undefined;
  return pending?.text === text ? pending.history : undefined;
}

/** Sets the model to the history's first text and redoes its steps through the model, as the user once made them. */
function rebuild(model: Model, text: string, history: SavedHistory | undefined) {
  const base = history && historyBase(text, history);
  replaying = true;
  try {
    model.setValue(base ?? text);
    if (!history || base === undefined) return;
    for (const step of history.steps) {
      for (const [at, del, ins] of step) {
        const a = model.getPositionAt(at);
        const b = model.getPositionAt(at + del.length);
        model.pushEditOperations([], [{ range: { startLineNumber: a.lineNumber, startColumn: a.column, endLineNumber: b.lineNumber, endColumn: b.column }, text: ins }], () => null);
      }
      model.pushStackElement();
    }
    for (let i = history.steps.length; i > history.position; i--) void model.undo();
    // Line endings or a model that differs from the log's idea of it: the text matters more than its history.
    if (model.getValue() !== text) model.setValue(text);
  } finally {
    replaying = false;
  }
}
