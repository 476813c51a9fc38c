/**
 * Dragging nodes in the overview, where React Flow renders no node (OverviewLayer draws them on a canvas): a press on
 * a drawn node moves that node's box (a subset moves its service; picked nodes move together) instead of panning
 * the view, and the positions go to the store as manual positions, like React Flow's own drags. A press on empty
 * canvas still pans; a click without movement still selects (MeshCanvas's pane click).
 */
import { useStoreApi, type InternalNode } from '@xyflow/react';
import { useEffect } from 'react';
import { useStore } from '../store/store';
import { nodeAtPoint } from './OverviewLayer';

/** Pointer travel (screen pixels) before a press becomes a drag. */
const DRAG_FROM = 4;

/** The node drawn at a screen point, if any: the innermost one. */
export function hitNode(store: ReturnType<typeof useStoreApi>, clientX: number, clientY: number): string | undefined {
  const { domNode, transform, nodeLookup } = store.getState();
  const rect = domNode?.getBoundingClientRect();
  if (!rect) return undefined;
  const [tx, ty, k] = transform;
  return nodeAtPoint(nodeLookup as Map<string, InternalNode>, (clientX - rect.left - tx) / k, (clientY - rect.top - ty) / k);
}

/** The top-level node holding `id` (a subset's service), which is what moves. */
function topOf(lookup: Map<string, InternalNode>, id: string): string {
  let n = lookup.get(id);
  while (n?.parentId && lookup.has(n.parentId)) n = lookup.get(n.parentId);
  return n?.id ?? id;
}

/** `onMoving`: the nodes being dragged when a drag starts (the overview then redraws only them), none when it ends. */
export function useOverviewDrag(overview: boolean, onMoving: (ids: ReadonlySet<string> | undefined) => void) {
  const store = useStoreApi();
  useEffect(() => {
    const root = store.getState().domNode;
    if (!overview || !root) return;
    const onPane = (e: Event) => !!(e.target as Element | null)?.closest?.('.react-flow__pane');
    let press: { x: number; y: number; zoom: number; starts: Map<string, { x: number; y: number }>; moved: boolean } | undefined;
    let frame = 0;
    let last: PointerEvent | undefined;

    const apply = () => {
      frame = 0;
      if (!press || !last) return;
      const dx = (last.clientX - press.x) / press.zoom;
      const dy = (last.clientY - press.y) / press.zoom;
      const { moveNode } = useStore.getState();
      for (const [id, p] of press.starts) moveNode(id, p.x + dx, p.y + dy);
    };
    const move = (e: PointerEvent) => {
      if (!press) return;
      if (!press.moved && Math.hypot(e.clientX - press.x, e.clientY - press.y) < DRAG_FROM) return;
      if (!press.moved) {
        press.moved = true;
        root.classList.add('is-dragging-node');
        onMoving(new Set(press.starts.keys()));
      }
      last = e;
      frame ||= requestAnimationFrame(apply);
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', up);
      root.classList.remove('is-dragging-node');
      if (press?.moved) {
        cancelAnimationFrame(frame);
        apply();
        onMoving(undefined);
        // The click that ends a drag is not a click on the canvas (it would select the node, or clear the selection).
        const swallow = (c: MouseEvent) => (c.stopPropagation(), window.removeEventListener('click', swallow, true));
        window.addEventListener('click', swallow, true);
        setTimeout(() => window.removeEventListener('click', swallow, true), 0);
      }
      press = undefined;
      last = undefined;
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0 || e.shiftKey || e.ctrlKey || e.metaKey || !onPane(e)) return;
      const hit = hitNode(store, e.clientX, e.clientY);
      if (!hit) return;
      const { nodeLookup, transform } = store.getState();
      const lookup = nodeLookup as Map<string, InternalNode>;
      const picked = useStore.getState().picked;
      const ids = new Set((picked.includes(hit) ? picked : [hit]).map((id) => topOf(lookup, id)));
      const starts = new Map([...ids].flatMap((id) => {
        const n = lookup.get(id);
        return n ? [[id, { ...n.position }] as const] : [];
      }));
      press = { x: e.clientX, y: e.clientY, zoom: transform[2], starts, moved: false };
      // Not a pan: React Flow's pane (pointer events) and d3-zoom (mouse events) do not see this press.
      e.stopPropagation();
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
      window.addEventListener('pointercancel', up);
    };
    const mouseDown = (e: MouseEvent) => {
      if (!press) return;
      e.stopPropagation();
      e.preventDefault();
    };
    // Over a node, the pointer says it can be moved.
    const hover = (e: PointerEvent) => {
      if (e.buttons || press) return;
      root.classList.toggle('is-over-node', onPane(e) && !!hitNode(store, e.clientX, e.clientY));
    };
    root.addEventListener('pointerdown', down, true);
    root.addEventListener('mousedown', mouseDown, true);
    root.addEventListener('pointermove', hover);
    return () => {
      root.removeEventListener('pointerdown', down, true);
      root.removeEventListener('mousedown', mouseDown, true);
      root.removeEventListener('pointermove', hover);
      root.classList.remove('is-over-node', 'is-dragging-node');
      up();
    };
  }, [overview, store, onMoving]);
}
