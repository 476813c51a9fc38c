/**
 * The designer's gestures on the canvas: add from the palette (click or drop), connect two nodes, delete the
 * selection. Each becomes commands through the one edit path (minimal YAML edits, one undo step each).
 */
import { useReactFlow, useStoreApi, type Connection } from '@xyflow/react';
import { createPortal } from 'react-dom';
import { useCallback, useEffect, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import type { GraphNode, MeshGraph, NodeKind } from '../graph/types';
import type { EgressOptions } from '../model/edit';
import { announce, currentModel, runCommand, runCommands } from '../store/edit';
import { useStore } from '../store/store';
import { addCommand, asksHow, connectFor, defaultForm, nodeIdFor, PALETTE, type AddForm, type PaletteKind } from './designer';
import { ContextMenu, type MenuItem } from './ContextMenu';
import { fitClear } from './fit';
import { deleteEdge, deleteNode, ownedKeys } from './deletion';
import { revealField } from '../store/reveal';
import { AddDialog, ConnectDialog, PALETTE_MIME } from './Palette';


/** What the canvas copied last: the resources, and the YAML put on the clipboard (a paste of that text pastes them). */
let copied: { objects: Record<string, unknown>[]; text: string } | undefined;
/** Pastes the canvas's own copy, when `text` is what it put on the clipboard; set by the mounted designer. */
export let pasteIfCopied: (text: string) => boolean = () => false;

/** Click-added elements line up left to right the way traffic flows: callers, services, egress, external hosts. */
const COLUMN_X: Record<NodeKind, number> = { ingress: 0, client: 0, service: 340, subset: 340, egress: 960, mesh: 960, external: 1300, namespace: 340 };

/** Once the graph has changed, give nodes that were not there before a place (`place` picks it). */
function placeNewNodes(before: MeshGraph, place: (n: GraphNode) => { x: number; y: number }) {
  const old = new Set(before.nodes.map((n) => n.id));
  const unsubscribe = useStore.subscribe(
    (s) => s.graph,
    (graph) => {
      unsubscribe();
      for (const n of graph.nodes) {
        if (old.has(n.id) || n.parent || useStore.getState().manual[n.id]) continue;
        const at = place(n);
        useStore.getState().moveNode(n.id, at.x, at.y);
      }
    },
  );
  setTimeout(unsubscribe, 5000);
}

export function useDesigner() {
  const flow = useReactFlow();
  const flowStore = useStoreApi();
  /** Fits the view clear of the palette (fit.ts). */
  const fit = useCallback((o: { duration: number; maxZoom?: number }) => fitClear(flow, flowStore.getState(), { padding: 0.12, ...o }), [flow, flowStore]);
  /** From the first design gesture on, the current layout stays put: new elements go where the user puts them. */
  const pinLayout = useCallback(() => {
    if (useStore.getState().designing) return;
    useStore.getState().pin(Object.fromEntries(flow.getNodes().filter((n) => !n.parentId).map((n) => [n.id, n.position])));
  }, [flow]);
  const [adding, setAdding] = useState<{ form: AddForm; at?: { x: number; y: number }; error?: string }>();
  const [asking, setAsking] = useState<{ source: string; target: string; from: string; to: string }>();

  /** Where a kind's column starts: columns line up with the elements already placed (or start in view), at the top. */
  const columnStart = useCallback(
    (kind: NodeKind, fallback: { x: number; y: number }) => {
      const kinds = new Map(useStore.getState().graph.nodes.map((n) => [n.id, n.kind]));
      const tops = flow.getNodes().filter((n) => !n.parentId && kinds.has(n.id));
      const x0 = tops.length ? Math.min(...tops.map((n) => n.position.x - COLUMN_X[kinds.get(n.id)!])) : fallback.x;
      const y0 = tops.length ? Math.min(...tops.map((n) => n.position.y)) : fallback.y;
      return { x: x0 + COLUMN_X[kind], y: y0 };
    },
    [flow],
  );
  /** The first place from `at` on (down, then right) where a new node overlaps no other. */
  const freeSpot = useCallback(
    (at: { x: number; y: number }) => {
      const boxes = flow.getNodes().filter((n) => !n.parentId).map((n) => ({ x: n.position.x, y: n.position.y, w: n.measured?.width ?? n.width ?? 200, h: n.measured?.height ?? n.height ?? 80 }));
      const clear = (x: number, y: number) => boxes.every((b) => x + 240 < b.x || x > b.x + b.w + 20 || y + 100 < b.y || y > b.y + b.h + 20);
      for (let col = 0; col < 8; col++) for (let row = 0; row < 6; row++) if (clear(at.x + col * 280, at.y + row * 120)) return { x: at.x + col * 280, y: at.y + row * 120 };
      return at;
    },
    [flow],
  );
  const startAdd = useCallback(
    (kind: PaletteKind, at?: { x: number; y: number }) => {
      pinLayout();
      // On an empty canvas, start at natural size.
      if (!flow.getNodes().length && !at) void flow.setViewport({ x: 0, y: 0, zoom: 1 });
      setAdding({ form: defaultForm(currentModel(), kind), at });
    },
    [pinLayout, flow],
  );
  const keepInView = useCallback(
    (id: string) => {
      const n = flow.getNode(id);
      const pane = document.querySelector('.react-flow__pane')?.getBoundingClientRect();
      if (!n || !pane) return;
      const a = flow.flowToScreenPosition(n.position);
      const b = flow.flowToScreenPosition({ x: n.position.x + (n.width ?? 0), y: n.position.y + (n.height ?? 0) });
      if (a.x < pane.left || a.y < pane.top || b.x > pane.right || b.y > pane.bottom) void fit({ duration: 200, maxZoom: 1 });
    },
    [flow, fit],
  );

  const submitAdd = useCallback(
    async (form: AddForm) => {
      const outcome = await runCommand(addCommand(form));
      if (!outcome.ok) {
        setAdding((a) => a && { ...a, form, error: outcome.error });
        return;
      }
      const id = nodeIdFor(form);
      const box = document.querySelector('.canvas-area')?.getBoundingClientRect();
      const at = adding?.at ?? (box ? freeSpot(columnStart(form.kind, flow.screenToFlowPosition({ x: box.left + 200, y: box.top + 60 }))) : undefined);
      if (at) useStore.getState().moveNode(id, at.x, at.y);
      useStore.getState().select({ kind: 'node', id });
      setAdding(undefined);
      announce(outcome);
      // A click-added element (no drop point) that does not fit in view brings the view to it.
      if (!adding?.at) setTimeout(() => keepInView(id), 300);
    },
    [adding, flow, freeSpot, keepInView, columnStart],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (![...e.dataTransfer.types].includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(PALETTE_MIME) as PaletteKind;
      if (!kind) return;
      e.preventDefault();
      startAdd(kind, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [flow, startAdd],
  );

  const connect = useCallback(
    async (source: string, target: string, egress?: EgressOptions) => {
      const { graph } = useStore.getState();
      const command = connectFor(currentModel(), graph, source, target, egress);
      if (typeof command === 'string') return announce({ ok: false, error: command });
      pinLayout();
      // Elements the connection creates (an egress gateway) go between the two ends.
      const a = flow.getNode(source);
      const b = flow.getNode(target);
      if (a && b) placeNewNodes(graph, (n) => freeSpot({ x: columnStart(n.kind, a.position).x, y: a.position.y }));
      announce(await runCommand(command));
    },
    [flow, pinLayout],
  );
  const onConnect = useCallback(
    (c: Connection) => {
      const { graph } = useStore.getState();
      if (asksHow(graph, c.source, c.target)) {
        const name = (id: string) => graph.nodes.find((n) => n.id === id)?.name ?? id;
        setAsking({ source: c.source, target: c.target, from: name(c.source), to: name(c.target) });
      } else void connect(c.source, c.target);
    },
    [connect],
  );

  /** Delete the picked nodes (or the selected node or edge) as one undo step. */
  const deleteSelection = useCallback(async () => {
    const { graph, selection, picked } = useStore.getState();
    const model = currentModel();
    const ids = picked.length ? picked : selection?.kind === 'node' ? [selection.id] : [];
    const commands = [];
    const names: string[] = [];
    if (!ids.length && selection?.kind === 'edge') {
      const edge = graph.edges.find((e) => e.id === selection.id);
      const c = edge ? deleteEdge(model, edge) : 'That route is gone.';
      if (typeof c === 'string') return announce({ ok: false, error: c });
      return announce(await runCommands(c, 'Delete route'));
    }
    for (const id of ids) {
      const node = graph.nodes.find((n) => n.id === id);
      if (!node || (node.parent && ids.includes(node.parent))) continue;
      const c = deleteNode(model, graph, node);
      if (typeof c === 'string') return announce({ ok: false, error: c });
      commands.push(...c);
      names.push(node.label);
    }
    if (!commands.length) return;
    const outcome = await runCommands(commands, `Delete ${names.join(', ')}`);
    if (outcome.ok) {
      useStore.getState().select(undefined);
      useStore.getState().setPicked([]);
    }
    announce(outcome);
  }, []);

  /** The resources behind the picked nodes (or the selected one). */
  const selectedObjects = useCallback(() => {
    const { graph, selection, picked, resources } = useStore.getState();
    const model = currentModel();
    const ids = picked.length ? picked : selection?.kind === 'node' ? [selection.id] : [];
    const keys = new Set(ids.flatMap((id) => {
      const n = graph.nodes.find((x) => x.id === id);
      return n ? ownedKeys(model, n) : [];
    }));
    return resources.filter((r) => keys.has(r.key)).map((r) => r.object as Record<string, unknown>);
  }, []);
  const paste = useCallback(
    async (objects: Record<string, unknown>[]) => {
      const before = useStore.getState().graph;
      pinLayout();
      const tops = flow.getNodes().filter((n) => !n.parentId);
      const bottom = tops.length ? Math.max(...tops.map((n) => n.position.y + (n.measured?.height ?? 80))) + 80 : 0;
      const left = tops.length ? Math.min(...tops.map((n) => n.position.x)) : 0;
      let i = 0;
      placeNewNodes(before, () => ({ x: left + 300 * i++, y: bottom }));
      announce(await runCommand({ type: 'paste', objects }));
      setTimeout(() => void fit({ duration: 200, maxZoom: 1 }), 400);
    },
    [flow, fit, pinLayout],
  );
  const copySelection = useCallback(async () => {
    const objects = selectedObjects();
    if (!objects.length) return announce({ ok: false, error: 'Select a gateway, service, external service or client to copy.' });
    const { stringify } = await import('yaml');
    const text = objects.map((o) => stringify(o)).join('---\n');
    copied = { objects, text };
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    announce({ ok: true, description: `Copied ${objects.length} resource${objects.length > 1 ? 's' : ''} (paste on the canvas for a renamed twin, or anywhere as YAML)` });
  }, [selectedObjects]);
  const duplicateSelection = useCallback(() => {
    const objects = selectedObjects();
    if (!objects.length) return announce({ ok: false, error: 'Select a gateway, service, external service or client to duplicate.' });
    void paste(objects);
  }, [selectedObjects, paste]);
  useEffect(() => {
    pasteIfCopied = (text) => {
      if (!copied || text.trim() !== copied.text.trim()) return false;
      void paste(copied.objects);
      return true;
    };
    return () => {
      pasteIfCopied = () => false;
    };
  }, [paste]);

  const [menu, setMenu] = useState<{ x: number; y: number; title: string; items: MenuItem[] }>();
  const closeMenu = useCallback(() => setMenu(undefined), []);
  const onNodeContextMenu = useCallback(
    (e: Pick<MouseEvent, 'preventDefault' | 'clientX' | 'clientY'>, id: string) => {
      e.preventDefault();
      const { toggleNamespace } = useStore.getState();
      if (id.startsWith('ns:')) {
        const ns = id.slice(3);
        return setMenu({ x: e.clientX, y: e.clientY, title: `Namespace ${ns}`, items: [{ label: `Expand namespace ${ns}`, shortcut: 'Double-click', run: () => toggleNamespace(ns) }] });
      }
      const node = useStore.getState().graph.nodes.find((n) => n.id === id);
      if (!node) return;
      const { picked } = useStore.getState();
      if (!picked.includes(id)) {
        useStore.getState().select({ kind: 'node', id });
        useStore.getState().setPicked([id]);
      }
      const copyable = ownedKeys(currentModel(), node).length > 0;
      setMenu({
        x: e.clientX, y: e.clientY, title: node.label,
        items: [
          { label: 'Show in YAML', run: () => revealField(node.origins[0]?.resource, node.origins[0]?.path) },
          { label: 'Copy', shortcut: 'Ctrl+C', disabled: !copyable, run: () => void copySelection() },
          { label: 'Duplicate', shortcut: 'Ctrl+D', disabled: !copyable, run: duplicateSelection },
          { label: 'Delete', shortcut: 'Del', disabled: !!node.implicit, run: () => void deleteSelection() },
          ...(node.namespace && node.kind !== 'mesh' ? [{ label: `Collapse namespace ${node.namespace}`, run: () => (toggleNamespace(node.namespace), useStore.getState().select(undefined)) }] : []),
        ],
      });
    },
    [copySelection, duplicateSelection, deleteSelection],
  );
  const onEdgeContextMenu = useCallback(
    (e: ReactMouseEvent, id: string) => {
      e.preventDefault();
      const edge = useStore.getState().graph.edges.find((x) => x.id === id);
      if (!edge) return;
      useStore.getState().select({ kind: 'edge', id });
      const origin = edge.origins[edge.origins.length - 1];
      setMenu({
        x: e.clientX, y: e.clientY, title: `Route ${edge.match === '*' ? 'for all traffic' : edge.match}`,
        items: [
          { label: 'Show in YAML', run: () => revealField(origin?.resource, origin?.path) },
          { label: 'Delete route', shortcut: 'Del', disabled: edge.id.startsWith('entry:'), run: () => void deleteSelection() },
        ],
      });
    },
    [deleteSelection],
  );
  const onPaneContextMenu = useCallback(
    (e: ReactMouseEvent | MouseEvent) => {
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      setMenu({
        x: e.clientX, y: e.clientY, title: 'Canvas',
        items: [
          ...PALETTE.map((p) => ({ label: `Add ${p.title.toLowerCase()} here`, run: () => startAdd(p.kind, at) })),
          { label: 'Paste', shortcut: 'Ctrl+V', disabled: !copied, run: () => copied && void paste(copied.objects) },
          { label: 'Fit view', shortcut: 'F', run: () => void fit({ duration: 200 }) },
        ],
      });
    },
    [flow, fit, paste, startAdd],
  );

  // In a portal: the canvas pane clips and transforms what is inside it.
  const dialogs = createPortal(
    <>
      {adding ? <AddDialog key={adding.form.kind} form={adding.form} error={adding.error} onSubmit={(f) => void submitAdd(f)} onClose={() => setAdding(undefined)} /> : null}
      {asking ? (
        <ConnectDialog
          from={asking.from}
          to={asking.to}
          onClose={() => setAsking(undefined)}
          onConnect={(o) => {
            setAsking(undefined);
            void connect(asking.source, asking.target, o);
          }}
        />
      ) : null}
      {menu ? <ContextMenu {...menu} onClose={closeMenu} /> : null}
    </>,
    document.body,
  );
  return { startAdd, onDragOver, onDrop, onConnect, deleteSelection, copySelection, duplicateSelection, onNodeContextMenu, onEdgeContextMenu, onPaneContextMenu, dialogs };
}
