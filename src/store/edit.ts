/**
 * Canvas → YAML: a command becomes patches (pure, src/model/edit), the patches become the smallest text edits, and
 * the edits go into the editor as one undo step. The edit engine loads on the first canvas edit.
 */
import type { Fix } from '../analysis/types';
import { getEditor, modelText } from '../editor/editorHandle';
import { buildModel } from '../model/model';
import type { Command, DesignIndex, Patch, TextEdit } from '../model/edit';
import { useStore } from './store';

export type EditOutcome = { ok: true; description: string } | { ok: false; error: string };

type Engine = typeof import('../model/edit');
let engine: Engine | undefined;
/** The engine, loaded once; afterwards an edit runs in one go (no dynamic import to wait for in between). */
const loadEngine = async (): Promise<Engine> => {
  if (engine) return engine;
  const [edit, { IncrementalParser }] = await Promise.all([import('../model/edit'), import('../model/incremental')]);
  parser ??= new IncrementalParser({ validate: false });
  return (engine = edit);
};
/** Keeps the parse of the text between edits: an edit re-parses only the documents that changed since the last. */
let parser: import('../model/incremental').IncrementalParser | undefined;

/** The model of the current resources, built once per set of resources (the canvas and the inspector share it). */
let modelCache: { resources: unknown; model: ReturnType<typeof buildModel> } | undefined;
export function currentModel() {
  const { resources } = useStore.getState();
  if (modelCache?.resources !== resources) modelCache = { resources, model: buildModel(resources) };
  return modelCache.model;
}
/** The splice index of the current text, rebuilt only when the text changed. */
let indexCache: { of: unknown; index: DesignIndex } | undefined;

/** Where the current text's documents and resources are: the model worker's, when it has analysed this text. */
async function spliceIndex(): Promise<DesignIndex> {
  const { text, version, analyzedVersion, resources, documents } = useStore.getState();
  if (analyzedVersion === version && documents.length) {
    if (indexCache?.of !== resources) {
      const ranges = Array.from({ length: documents.length / 2 }, (_, i) => ({ from: documents[2 * i], to: documents[2 * i + 1] }));
      indexCache = { of: resources, index: { documents: ranges, resources } };
    }
    return indexCache.index;
  }
  const { designIndex } = await loadEngine();
  const parse = parser!.parse(text);
  if (indexCache?.of !== parse) indexCache = { of: parse, index: designIndex(parse) };
  return indexCache.index;
}

/** Apply text edits (offsets into the current text) as one undoable step. */
function applyTextEdits(edits: TextEdit[], text: string, next: string) {
  const handle = getEditor();
  const model = handle?.editor.getModel();
  if (!handle || !model || modelText(model) !== text) {
    useStore.getState().setText(next, 'canvas');
    return;
  }
  const { editor } = handle;
  editor.pushUndoStop();
  editor.executeEdits(
    'canvas',
    edits.map((e) => {
      const a = model.getPositionAt(e.from);
      const b = model.getPositionAt(e.to);
      return { range: { startLineNumber: a.lineNumber, startColumn: a.column, endLineNumber: b.lineNumber, endColumn: b.column }, text: e.text };
    }),
  );
  editor.pushUndoStop();
}

async function applyPatchList(patches: Patch[], description: string): Promise<EditOutcome> {
  const { text, stale, problem } = useStore.getState();
  if (stale) return { ok: false, error: `Canvas edits are paused until the YAML parses again (${problem ?? 'it has errors'}); fix it in the editor or undo.` };
  const { applyPatches } = await loadEngine();
  const result = applyPatches(text, patches, await spliceIndex());
  if (!result.ok) return { ok: false, error: result.error };
  applyTextEdits(result.edits, text, result.text);
  return { ok: true, description };
}

export async function runCommand(command: Command): Promise<EditOutcome> {
  const { commandPatches } = await loadEngine();
  const result = commandPatches(currentModel(), command);
  if (!result.ok) return result;
  return applyPatchList(result.patches, result.description);
}

/**
 * Several commands as one undo step (deleting a selection): each is computed on the same model, so they must touch
 * different things; a resource several of them remove is removed once.
 */
export async function runCommands(commands: Command[], description: string): Promise<EditOutcome> {
  if (commands.length === 1) return runCommand(commands[0]);
  const { commandPatches } = await loadEngine();
  const model = currentModel();
  const patches: Patch[] = [];
  const removed = new Set<string>();
  for (const c of commands) {
    const result = commandPatches(model, c);
    if (!result.ok) return result;
    for (const p of result.patches) {
      if (p.type === 'removeResource' && removed.has(p.key)) continue;
      if (p.type === 'removeResource') removed.add(p.key);
      else if ('key' in p && removed.has(p.key)) continue;
      patches.push(p);
    }
  }
  return applyPatchList(patches, description);
}

/** An analyzer quick fix, through the same edit path as canvas edits. */
export function applyFix(fix: Fix): Promise<EditOutcome> {
  switch (fix.kind) {
    case 'createSubset':
      if (fix.destinationRule) return runCommand({ type: 'addSubset', dr: fix.destinationRule, name: fix.subset, labels: fix.labels });
      return applyPatchList(
        [{ type: 'addResource', object: { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: fix.host.split('.')[0], namespace: fix.namespace }, spec: { host: fix.host, subsets: [{ name: fix.subset, labels: fix.labels }] } } }],
        fix.title,
      );
    case 'addPort': {
      const r = useStore.getState().resources.find((x) => x.key === fix.target);
      const port = r?.kind === 'ServiceEntry' ? { number: fix.port, name: fix.name, protocol: fix.protocol } : { name: fix.name, port: fix.port };
      const length = ((r?.spec as { ports?: unknown[] } | undefined)?.ports ?? []).length;
      return applyPatchList([{ type: 'insert', key: fix.target, path: ['spec', 'ports'], index: length, value: port }], fix.title);
    }
    case 'setDestinationPort':
      return applyPatchList([{ type: 'set', key: fix.target, path: [...fix.path, 'port'], value: { number: fix.port } }], fix.title);
    case 'removeRule':
    case 'removeMatch':
      return applyPatchList([{ type: 'delete', key: fix.target, path: fix.path }], fix.title);
    case 'normalizeWeights':
      return applyPatchList(
        fix.weights.map((w, i) => ({ type: 'set' as const, key: fix.target, path: [...fix.path, i, 'weight'], value: w })),
        fix.title,
      );
  }
}

/** A one-line toast for the last canvas edit (what it did, or why it could not). */
export function announce(outcome: EditOutcome) {
  useStore.setState({ toast: outcome.ok ? { text: outcome.description, level: 'info' } : { text: outcome.error, level: 'error' } });
}
