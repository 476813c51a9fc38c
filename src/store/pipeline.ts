/**
 * Text → model → graph → layout, outside React. Edits are debounced; a newer text supersedes an older parse
 * (stale results are dropped); broken YAML keeps the last good graph, marked stale.
 */
import { layoutClient } from '../worker/layoutClient';
import { analysisClient, modelClient } from '../worker/modelClient';
import { shareGraph } from '../graph/share';
import type { MeshGraph } from '../graph/types';
import { useStore } from './store';

/** The analyzer's findings wait for a pause in typing: on two cores its worker would compete with the next keystroke's
 * parse, and findings that flicker while a value is half typed help nobody. */
const PROBLEMS_AFTER_MS = 300;

/** The shape of a graph that decides its layout: nodes, parents and edge endpoints (not labels). */
export function layoutSignature(graph: MeshGraph): string {
  const nodes = graph.nodes.map((n) => `${n.id}<${n.parent ?? ''}`).sort();
  const edges = graph.edges.map((e) => `${e.source}>${e.target}`).sort();
  return nodes.join('|') + '#' + [...new Set(edges)].join('|');
}

/** True when `b` has `a`'s node list (shareGraph keeps it while no node changed) and edges between the same ends, in
 * the same order: then its layout signature is `a`'s, without building it (a weight typed changes only edge labels). */
export function sameShape(a: MeshGraph, b: MeshGraph): boolean {
  return a.nodes === b.nodes && a.edges.length === b.edges.length && a.edges.every((e, i) => e.source === b.edges[i].source && e.target === b.edges[i].target);
}

export function startPipeline(): () => void {
  let problemsTimer: ReturnType<typeof setTimeout> | undefined;
  let laidOut = '';
  let lastGraph: MeshGraph | undefined;

  const analyze = async () => {
    const { text, version } = useStore.getState();
    try {
      const result = await modelClient.run({ text });
      if (!result || useStore.getState().version !== version) return; // superseded
      if (!result.ok) {
        useStore.setState({ analyzedVersion: version, diagnostics: result.diagnostics, stale: true, problem: result.problem });
        return;
      }
      useStore.setState({
        analyzedVersion: version,
        diagnostics: result.diagnostics,
        graph: shareGraph(useStore.getState().graph, result.graph),
        resources: result.resources,
        documents: result.documents,
        sourceMap: result.sourceMap,
        stale: false,
        problem: undefined,
      });
    } catch (e) {
      if (useStore.getState().version !== version) return;
      useStore.setState({ analyzedVersion: version, stale: true, problem: (e as Error).message });
    }
  };

  const findProblems = async () => {
    const { text, version } = useStore.getState();
    try {
      const problems = await analysisClient.run({ text });
      if (problems && useStore.getState().version === version) useStore.setState({ problems });
    } catch {
      // The analyzer failing must not disturb editing; the next edit runs it again.
    }
  };

  const relayout = async (graph: MeshGraph) => {
    const same = lastGraph && sameShape(lastGraph, graph);
    lastGraph = graph;
    if (same) return;
    const sig = layoutSignature(graph);
    if (sig === laidOut) return;
    laidOut = sig;
    useStore.setState({ layoutBusy: true });
    try {
      const positions = await layoutClient.run({ graph });
      if (positions && laidOut === sig) useStore.setState({ auto: positions, layoutBusy: false });
    } catch {
      if (laidOut === sig) useStore.setState({ layoutBusy: false });
    }
  };

  let queued = false;
  const unsubText = useStore.subscribe(
    (s) => s.version,
    () => {
      clearTimeout(problemsTimer);
      if (queued) return;
      queued = true;
      // The canvas first: the analyzer (slower, less urgent) starts once the model is in and typing pauses, so that on
      // two cores the two workers do not split the CPU while the user waits for the canvas. The text goes to the worker
      // at the end of this task (changes made together are parsed together), before the editor paints the keystroke.
      queueMicrotask(() => {
        queued = false;
        void analyze().finally(() => (problemsTimer = setTimeout(() => void findProblems(), PROBLEMS_AFTER_MS)));
      });
    },
  );
  const unsubGraph = useStore.subscribe((s) => s.graph, relayout);
  // Every change of the text, with its edits if known: the model worker then gets the change, not the whole text.
  const unsubEdits = useStore.subscribe((s, prev) => {
    if (s.version !== prev.version) modelClient.noteEdit(prev.text.length, s.text.length, s.textEdits);
  });
  if (useStore.getState().version > 0) {
    void analyze();
    void findProblems();
  }
  return () => {
    clearTimeout(problemsTimer);
    unsubText();
    unsubGraph();
    unsubEdits();
  };
}

/** Re-run auto-layout now (forgets manual positions). */
export function autoLayout() {
  useStore.getState().resetLayout();
  const { graph } = useStore.getState();
  useStore.setState({ layoutBusy: true });
  layoutClient
    .run({ graph })
    .then((positions) => positions && useStore.setState({ auto: positions, layoutBusy: false }))
    .catch(() => useStore.setState({ layoutBusy: false }));
}
