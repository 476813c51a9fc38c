/**
 * The dock takes its width from the canvas: when the selected node or edge is (partly) out of the canvas that is
 * left, pan the view just enough to show it. Works in the overview too, where nodes are drawn on a canvas (their
 * geometry comes from React Flow, not from the DOM).
 */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useEffect } from 'react';
import { panIntoView, type Box } from './dock';

export function useKeepInView(selection: { kind: 'node' | 'edge'; id: string } | undefined, active: boolean) {
  const flow = useReactFlow();
  const store = useStoreApi();
  useEffect(() => {
    if (!active || !selection) return;
    const { domNode, edgeLookup } = store.getState();
    if (!domNode) return;
    const area = domNode.getBoundingClientRect();
    const nodeBox = (id: string): Box | undefined => {
      const n = flow.getInternalNode(id);
      if (!n) return undefined;
      const a = flow.flowToScreenPosition(n.internals.positionAbsolute);
      const b = flow.flowToScreenPosition({ x: n.internals.positionAbsolute.x + (n.measured.width ?? 0), y: n.internals.positionAbsolute.y + (n.measured.height ?? 0) });
      return { left: a.x, top: a.y, right: b.x, bottom: b.y };
    };
    let box: Box | undefined;
    if (selection.kind === 'node') box = nodeBox(selection.id);
    else {
      const el = domNode.querySelector(`.react-flow__edge[data-id="${CSS.escape(selection.id)}"]`);
      const edge = edgeLookup.get(selection.id);
      const ends = edge ? [nodeBox(edge.source), nodeBox(edge.target)].filter((b): b is Box => !!b) : [];
      box = el ? el.getBoundingClientRect() : ends.length ? { left: Math.min(...ends.map((b) => b.left)), top: Math.min(...ends.map((b) => b.top)), right: Math.max(...ends.map((b) => b.right)), bottom: Math.max(...ends.map((b) => b.bottom)) } : undefined;
    }
    if (!box) return;
    // Only what the dock pushed out on the right moves the view (a selection cut at another edge was so before the
    // dock opened, and the designer brings new elements into view itself).
    const { dx } = panIntoView(box, area);
    if (dx <= 0) return;
    const vp = flow.getViewport();
    void flow.setViewport({ ...vp, x: vp.x - dx }, { duration: 200 });
    // Only a new selection (or the dock opening) moves the view, not edits of the selected element.
  }, [selection?.id, active]);
}
