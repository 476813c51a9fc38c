import { ControlButton, Controls, ViewportPortal, MiniMap, Panel, ReactFlow, ReactFlowProvider, useReactFlow, useStore as useFlowStore, useStoreApi, type FitViewOptions, type NodeChange, type NodeMouseHandler, type EdgeMouseHandler } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './layers.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { FindNode, Legend, ShortcutHelp } from './CanvasPanels';
import { fitClear } from './fit';
import { FitIcon } from './icons';
import { Palette } from './Palette';
import { useDesigner } from './useDesigner';
import { Inspector } from '../inspector/Inspector';
import { revealField } from '../store/reveal';
import { tracePath } from '../graph/tracePath';
import { problemsByElement, sameProblems, type ElementProblems } from '../graph/problemIndex';
import type { Origin } from '../graph/types';
import { useStore } from '../store/store';
import { MeshNode, type MeshFlowNode } from './nodes';
import { OverviewLayer } from './OverviewLayer';
import { hitNode, useOverviewDrag } from './useOverviewDrag';
import { ParticleLayer } from './ParticleLayer';
import { RouteEdge, type RouteFlowEdge } from './RouteEdge';
import { shareById } from '../graph/share';
import { collapsedPositions, collapseNamespaces } from '../graph/collapse';
import { toFlowEdges, toFlowNodes } from './toFlow';
import { useCapture } from './useCapture';
import { useTraffic } from './useTraffic';

const nodeTypes = { mesh: MeshNode };
const edgeTypes = { route: RouteEdge };
const MINI_COLORS: Record<string, string> = { service: '#2b6fd6', subset: '#7a4fd0', ingress: '#0f8a7e', egress: '#0f8a7e', external: '#b85c00', client: '#56606e', mesh: '#56606e', namespace: '#8a94a3' };
const miniMapColor = (n: MeshFlowNode) => (n.data.card ? 'rgba(120,140,170,0.25)' : MINI_COLORS[n.data.node.kind]);

const revealOrigin = (origin: Origin | undefined) => revealField(origin?.resource, origin?.path);

/** Below this zoom, nodes and edges drop their details (level of detail): the overview stays fast and legible. */
const DETAIL_ZOOM = 0.45;
/** From this many nodes on, only what is in view is rendered. */
const VISIBLE_ONLY_FROM = 150;
/** From this many nodes on, the overview (zoomed out) is drawn on a canvas (OverviewLayer) instead of the DOM. */
const OVERVIEW_FROM = 150;
/** Fit hidden nodes too: the overview hides them all from React Flow's renderer. */
const FIT_ALL: FitViewOptions = { includeHiddenNodes: true };
const NO_EDGES: never[] = [];
/** The minimap redraws every node on every pan: past this size it costs more than it shows. */
const MINIMAP_MAX_NODES = 400;
const MULTI_KEYS = ['Shift', 'Meta', 'Control'];
const zoomedOutSelector = (s: { transform: [number, number, number] }) => s.transform[2] < DETAIL_ZOOM;
/** Below this zoom the dot grid's dots are too small to see (and would cover a huge area of the flow). */
const noGridSelector = (s: { transform: [number, number, number] }) => s.transform[2] < 0.2;

function isTyping(e: KeyboardEvent) {
  const t = e.target as HTMLElement | null;
  return !!t?.closest('input, textarea, select, [contenteditable="true"], .monaco-editor, [role="dialog"]');
}

function Canvas() {
  const zoomedOut = useFlowStore(zoomedOutSelector);
  const noGrid = useFlowStore(noGridSelector);
  const [finding, setFinding] = useState(false);
  const [legend, setLegend] = useState(false);
  const [help, setHelp] = useState(false);
  const fullGraph = useStore((s) => s.graph);
  const fullAuto = useStore((s) => s.auto);
  const collapsed = useStore((s) => s.collapsed);
  // Collapsed namespaces are one node each: what the canvas draws.
  const graph = useMemo(() => collapseNamespaces(fullGraph, collapsed), [fullGraph, collapsed]);
  const manual = useStore((s) => s.manual);
  const auto = useMemo(() => collapsedPositions(fullGraph, collapsed, fullAuto, manual), [fullGraph, collapsed, fullAuto, manual]);
  const selection = useStore((s) => s.selection);
  const theme = useStore((s) => s.theme);
  const flow = useReactFlow();
  const flowStore = useStoreApi();
  // Every node in view, none under the palette (fit.ts).
  const fitView = useCallback((o?: { padding?: number; duration?: number }) => fitClear(flow, flowStore.getState(), o), [flow, flowStore]);
  const designer = useDesigner();
  const stale = useStore((s) => s.stale);
  // The version of the text the canvas shows, for tests and benchmarks (`data-version`, set as React commits it).
  const shownVersion = useStore((s) => s.analyzedVersion);
  const picked = useStore((s) => s.picked);
  // For the UI benchmarks and tests (like window.__meshcraftEditor): the React Flow instance.
  useEffect(() => {
    (window as unknown as { __meshcraftFlow?: unknown }).__meshcraftFlow = { ...flow, fitView };
  }, [flow, fitView]);

  // React Flow measures each node (and its handles) in the DOM; the nodes we derive must carry those measurements
  // along, or a re-derived node loses its handle positions and its edges disappear until its size changes.
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const traced = useStore((s) => s.traced);
  const resources = useStore((s) => s.resources);
  const lit = useMemo(() => (traced && traced.resources === resources ? tracePath(graph, traced.trace, traced.input.source) : undefined), [traced, resources, graph]);
  const problemList = useStore((s) => s.problems);
  // Kept while equal: the nodes below are derived again only when something they show changed.
  const lastProblems = useRef<Map<string, ElementProblems>>(undefined);
  const problems = useMemo(() => (lastProblems.current = sameProblems(lastProblems.current, problemsByElement(graph, problemList))), [graph, problemList]);
  const { traffic, animate } = useTraffic(graph);
  // While an image is taken, everything is drawn in the DOM at full detail.
  const capturing = useCapture();
  const overview = zoomedOut && graph.nodes.length >= OVERVIEW_FROM && !capturing;
  const [moving, setMoving] = useState<ReadonlySet<string>>();
  useOverviewDrag(overview, setMoving);
  // The nodes alone: an edit of the edges only (a weight typed) keeps the node list (shareGraph), and so these.
  const graphNodes = graph.nodes;
  const derived = useMemo(
    () => toFlowNodes({ nodes: graphNodes }, auto, manual, { selectedId: selection?.kind === 'node' ? selection.id : undefined, picked, lit, problems, traffic }),
    [graphNodes, auto, manual, selection, picked, lit, problems, traffic],
  );
  // Unchanged nodes and edges keep their objects: React Flow and the memoised components then skip them. The overview
  // draws the graph on a canvas: React Flow then keeps every node (hidden) and renders none, nor any edge.
  const shown = useRef<{ nodes: MeshFlowNode[]; edges: RouteFlowEdge[]; edgesFor?: typeof graph.nodes }>({ nodes: [], edges: [] });
  const nodes = useMemo(
    () => (shown.current.nodes = shareById(shown.current.nodes, derived.map((n) => (measured[n.id] || overview ? { ...n, measured: measured[n.id], hidden: overview } : n))).list),
    [derived, measured, overview],
  );
  const edges = useMemo(() => {
    const s = shown.current;
    const made = toFlowEdges(graph, selection?.kind === 'edge' ? selection.id : undefined, lit, problems, traffic, s.edgesFor && { nodes: s.edgesFor, edges: s.edges });
    s.edgesFor = graph.nodes;
    return (s.edges = shareById(s.edges, made).list);
  }, [graph, selection, lit, problems, traffic]);

  // Fit again when the drawer under the canvas opens, closes or folds, or the editor beside it folds (the canvas
  // changed size much). Not for the Inspector: it pans its selection into view instead.
  const drawerOpen = useStore((s) => s.drawer !== null && !s.view.drawerCollapsed);
  const editorFolded = useStore((s) => s.view.editorCollapsed);
  useEffect(() => {
    const t = setTimeout(() => void fitView({ padding: 0.12, duration: 150 }), 250);
    return () => clearTimeout(t);
  }, [drawerOpen, editorFolded, fitView]);

  // Fit the view when a new layout arrives.
  const fitted = useRef<object | null>(null);
  useEffect(() => {
    if (fitted.current === auto || !Object.keys(auto).length) return;
    fitted.current = auto;
    if (useStore.getState().designing) return;
    requestAnimationFrame(() => void fitView({ padding: 0.12, duration: 0 }));
  }, [auto, fitView]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e)) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === 'c' || e.key === 'd')) {
        e.preventDefault();
        if (e.key === 'c') void designer.copySelection();
        else designer.duplicateSelection();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/') setFinding(true);
      else if (e.key === 'f' || e.key === 'F') void fitView({ padding: 0.12, duration: 200 });
      else if (e.key === 'l' || e.key === 'L') setLegend((v) => !v);
      else if (e.key === '?') setHelp(true);
      // (Not from the panel under the canvas: Delete on a trace step or a results button deletes nothing.)
      else if ((e.key === 'Delete' || e.key === 'Backspace') && !(e.target as HTMLElement | null)?.closest?.('.sim-drawer')) void designer.deleteSelection();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [fitView, designer]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    let sizes: Record<string, { width: number; height: number }> | undefined;
    let picks: Map<string, boolean> | undefined;
    for (const c of changes) {
      if (c.type === 'select') (picks ??= new Map()).set(c.id, c.selected);
      if (c.type === 'position' && c.position && c.dragging) useStore.getState().moveNode(c.id, c.position.x, c.position.y);
      else if (c.type === 'dimensions' && c.dimensions) (sizes ??= {})[c.id] = c.dimensions;
    }
    if (sizes) setMeasured((m) => ({ ...m, ...sizes }));
    if (picks) {
      const { picked, setPicked } = useStore.getState();
      const next = new Set(picked);
      for (const [id, on] of picks) if (on) next.add(id);
      else next.delete(id);
      if (next.size !== picked.length || picked.some((id) => !next.has(id))) setPicked([...next]);
    }
  }, []);
  const onPick = useCallback((id: string) => {
    useStore.getState().select({ kind: 'node', id });
    const g = useStore.getState().graph.nodes.find((n) => n.id === id);
    revealOrigin(g?.origins[0]);
  }, []);
  /** The node's menu opened from the keyboard (the overview's node list): shown at the node's middle. */
  const onNodeMenu = designer.onNodeContextMenu;
  const onOverviewMenu = useCallback(
    (id: string) => {
      const n = flow.getInternalNode(id);
      if (!n) return;
      const p = n.internals.positionAbsolute;
      const at = flow.flowToScreenPosition({ x: p.x + (n.measured.width ?? 0) / 2, y: p.y + (n.measured.height ?? 0) / 2 });
      onNodeMenu({ preventDefault() {}, clientX: at.x, clientY: at.y }, id);
    },
    [flow, onNodeMenu],
  );
  const onNodeClick: NodeMouseHandler = useCallback((_, node) => onPick(node.id), [onPick]);
  const onEdgeClick: EdgeMouseHandler = useCallback((_, edge) => {
    useStore.getState().select({ kind: 'edge', id: edge.id });
    const e = useStore.getState().graph.edges.find((x) => x.id === edge.id);
    revealOrigin(e?.origins[e.origins.length - 1]);
  }, []);

  return (
    <ReactFlow
      nodes={nodes}
      edges={overview ? NO_EDGES : edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onNodeClick={onNodeClick}
      onNodeDoubleClick={(_, n) => n.id.startsWith('ns:') && useStore.getState().toggleNamespace(n.id.slice(3))}
      onEdgeClick={onEdgeClick}
      onPaneClick={(e) => {
        const hit = overview ? hitNode(flowStore, e.clientX, e.clientY) : undefined;
        if (hit) onPick(hit);
        else useStore.getState().select(undefined);
      }}
      onConnect={designer.onConnect}
      onNodeContextMenu={(e, n) => designer.onNodeContextMenu(e, n.id)}
      onEdgeContextMenu={(e, x) => designer.onEdgeContextMenu(e, x.id)}
      onPaneContextMenu={(e) => {
        // In the overview the nodes are drawn on the pane: a right-click on one opens the node's menu.
        const hit = overview ? hitNode(flowStore, e.clientX, e.clientY) : undefined;
        if (hit) designer.onNodeContextMenu(e, hit);
        else designer.onPaneContextMenu(e);
      }}
      onDragOver={designer.onDragOver}
      onDrop={designer.onDrop}
      isValidConnection={(c) => c.source !== c.target}
      nodesConnectable={!stale}
      deleteKeyCode={null}
      multiSelectionKeyCode={MULTI_KEYS}
      colorMode={theme}
      minZoom={0.05}
      maxZoom={2.5}
      fitView
      fitViewOptions={FIT_ALL}
      proOptions={{ hideAttribution: true }}
      aria-label="Mesh canvas"
      data-version={shownVersion}
      className={overview ? 'lod-low lod-canvas' : zoomedOut && !capturing ? 'lod-low' : undefined}
      // Zoomed in, render only what is in view; in the overview everything is in view and the culling only costs.
      onlyRenderVisibleElements={!capturing && (overview || (graph.nodes.length >= VISIBLE_ONLY_FROM && !zoomedOut))}
    >
      <Palette onAdd={(k) => designer.startAdd(k)} disabled={stale} />
      <FindNode open={finding} onClose={() => setFinding(false)} />
      {legend ? <Legend onClose={() => setLegend(false)} /> : null}
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
      <Panel position="top-right" className="canvas-buttons">
        {legend ? null : (
          <button type="button" aria-label="Show legend" onClick={() => setLegend(true)}>
            Legend
          </button>
        )}
        <button type="button" aria-label="Find a node (/)" onClick={() => setFinding(true)}>
          Find
        </button>
        <button type="button" aria-label="Keyboard shortcuts (?)" onClick={() => setHelp(true)}>
          ?
        </button>
      </Panel>
      {noGrid ? null : (
        <ViewportPortal>
          <div className="dot-grid" aria-hidden="true" />
        </ViewportPortal>
      )}
      {overview ? <OverviewLayer nodes={nodes} edges={edges} theme={theme} moving={moving} onPick={onPick} onMenu={onOverviewMenu} /> : null}
      {animate ? <ParticleLayer edges={edges} theme={theme} /> : null}
      {drawerOpen || overview || graph.nodes.length > MINIMAP_MAX_NODES ? null : <MiniMap pannable zoomable ariaLabel="Mini map" nodeColor={miniMapColor} nodeStrokeWidth={0} style={{ width: 150, height: 96 }} />}
      <Controls showInteractive={false} showFitView={false}>
        <ControlButton className="react-flow__controls-fitview" title="Fit view (F)" aria-label="Fit view" onClick={() => void fitView({ padding: 0.12, duration: 200 })}>
          <FitIcon />
        </ControlButton>
      </Controls>
      {designer.dialogs}
    </ReactFlow>
  );
}

export default function MeshCanvas() {
  return (
    <ReactFlowProvider>
      {/* The Inspector sits beside the canvas, not over it: fit view and panning use the canvas that shows. */}
      <div className="canvas-row">
        <div className="flow-host">
          <Canvas />
        </div>
        <Inspector />
      </div>
    </ReactFlowProvider>
  );
}
