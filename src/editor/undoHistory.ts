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
import { modelText } from './editorHandle';
import { diffOp, historyBase, UndoLog, type Op, type SavedHistory } from './undoLog';

type Model = Monaco.editor.ITextModel;

interface Tracked {
  model: Model;
  log: UndoLog;
  /** The model's text as of the last change seen. */
  text: string;
}
let tracked: Tracked | undefined;
/** A history waiting for the editor (not mounted yet, or being re-created) and the text it belongs to. */
let pending: { text: string; history?: SavedHistory } | undefined;
let replaying = false;

/** True while a history is being rebuilt: the editor's text passes through older versions, which are no edits. */
export const isReplaying = () => replaying;

/** Mirrors the model's undo stack from now on; applies a history waiting for it. Returns the function to stop. */
export function trackHistory(model: Model): () => void {
  const log = new UndoLog();
  const state: Tracked = { model, log, text: modelText(model) };
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
    if (replaying) return;
    const mark = model.getAlternativeVersionId();
    if (e.isFlush) {
      log.reset();
      state.text = modelText(model);
    } else if (e.isUndoing || e.isRedoing) {
      const next = modelText(model);
      log.moved(e.isUndoing ? 'undo' : 'redo', mark, state.text, next);
      state.text = next;
    } else record(state, e.changes, mark);
  });
  tracked = state;
  if (pending && pending.text === state.text) rebuild(state, pending.text, pending.history);
  pending = undefined;
  return () => {
    sub.dispose();
    model.pushStackElement = push;
    model.popStackElement = pop;
    if (tracked !== state) return;
    // The editor goes away (unmounted, re-created): its history waits for the next one.
    pending = { text: state.text, history: log.save(state.text) };
    tracked = undefined;
  };
}

/**
 * The replacements of one content change, in the log. Monaco lists them from the end of the text to its start, each
 * to apply to the text as the previous one left it: so they are recorded (and replayed) in that order, cut from the
 * last text rather than found by comparing it with the new one on every keystroke. (Should the lengths disagree, e.g.
 * after a change of line endings, the two texts are diffed instead.)
 */
function record(state: Tracked, changes: readonly Monaco.editor.IModelContentChange[], mark: number) {
  let text = state.text;
  let length = text.length;
  const ops: Op[] = [];
  for (const [i, c] of changes.entries()) {
    const del = text.slice(c.rangeOffset, c.rangeOffset + c.rangeLength);
    if (del !== c.text) ops.push([c.rangeOffset, del, c.text]);
    length += c.text.length - c.rangeLength;
    // (Several changes: the next one is cut from the text this one leaves.)
    if (i < changes.length - 1) text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
  }
  const next = modelText(state.model);
  if (length !== next.length) {
    const op = diffOp(state.text, next);
    ops.length = 0;
    if (op) ops.push(op);
  }
  for (const op of ops) state.log.record(op, mark);
  state.text = next;
}

/**
 * The editor now shows `text` with this history (none: a fresh one). Replaces whatever the editor held, at once when
 * it is there, else when it comes.
 */
export function loadHistory(text: string, history: SavedHistory | undefined) {
  if (tracked) rebuild(tracked, text, history);
  else pending = { text, history };
}

/** The history to save with `text`, when the editor's history belongs to that text. */
export function savedHistory(text: string): SavedHistory | undefined {
  if (tracked) return tracked.text === text ? tracked.log.save(text) : undefined;
  return pending?.text === text ? pending.history : undefined;
}

/**
 * Sets the model to the history's first text and redoes its steps through the model, as the user once made them, then
 * undoes the ones that were undone: Monaco's undo stack is the saved one. The log takes the steps as they are.
 */
function rebuild(state: Tracked, text: string, history: SavedHistory | undefined) {
  const { model, log } = state;
  const base = history && historyBase(text, history);
  replaying = true;
  try {
    model.setValue(base ?? text);
    log.reset();
    if (!history || base === undefined) return;
    const marks: number[] = [];
    for (const step of history.steps) {
      for (const [at, del, ins] of step) {
        const a = model.getPositionAt(at);
        const b = model.getPositionAt(at + del.length);
        model.pushEditOperations([], [{ range: { startLineNumber: a.lineNumber, startColumn: a.column, endLineNumber: b.lineNumber, endColumn: b.column }, text: ins }], () => null);
      }
      model.pushStackElement();
      marks.push(model.getAlternativeVersionId());
    }
    for (let i = history.steps.length; i > history.position; i--) void model.undo();
    // Line endings the model normalised: the text matters more than its history.
    if (modelText(model) === text) log.restore(history.steps, marks, history.position);
    else {
      model.setValue(text);
      log.reset();
    }
  } finally {
    replaying = false;
    state.text = modelText(model);
  }
}
