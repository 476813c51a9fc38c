/**
 * The dock covers the right of the canvas: when the selected node or edge sits (partly) under it, pan the view
 * just enough to show it beside the dock.
 */
import { useReactFlow } from '@xyflow/react';
import { useEffect, type RefObject } from 'react';
import { panToShow } from './dock';

export function useKeepInView(dock: RefObject<HTMLElement | null>, selection: { kind: 'node' | 'edge'; id: string } | undefined, active: boolean) {
  const flow = useReactFlow();
  useEffect(() => {
    if (!active || !selection) return;
    const aside = dock.current;
    const host = aside?.parentElement;
    if (!aside || !host) return;
    const el = host.querySelector(`.react-flow__${selection.kind}[data-id="${CSS.escape(selection.id)}"]`);
    if (!el) return;
    const r = el.getBoundingClientRect();
    const dx = panToShow(r.left, r.right, host.getBoundingClientRect().left, aside.getBoundingClientRect().left);
    if (dx <= 0) return;
    const vp = flow.getViewport();
    void flow.setViewport({ ...vp, x: vp.x - dx }, { duration: 200 });
    // Only a new selection (or the dock opening) moves the view, not edits of the selected element.
  }, [selection?.id, active]);
}
