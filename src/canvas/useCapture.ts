/**
 * Pictures of the whole canvas: while an image is taken, the canvas draws every node and edge in the DOM at full
 * detail — not only those in view (large designs), nor the overview's <canvas> picture (zoomed out) — and resolves
 * once React Flow has measured them all, so that the picture holds the whole design whatever the view.
 */
import { useStoreApi } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { setCanvasCapture } from '../store/exports';

/** Frames to wait at most for the nodes to be drawn and measured (a huge design is pictured as far as it got). */
const MAX_FRAMES = 240;

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** Returns true while a picture is being taken. */
export function useCapture(): boolean {
  const [capturing, setCapturing] = useState(false);
  const flowStore = useStoreApi();
  useEffect(() => {
    setCanvasCapture(async (root) => {
      setCapturing(true);
      for (let frame = 0; frame < MAX_FRAMES; frame++) {
        await nextFrame();
        const { nodeLookup, edges } = flowStore.getState();
        const nodes = [...nodeLookup.values()];
        const drawn = nodes.every((n) => !n.hidden && n.internals.handleBounds) && root.querySelectorAll('.react-flow__node').length === nodes.length;
        if (drawn && root.querySelectorAll('.react-flow__edge').length >= edges.filter((e) => !e.hidden).length) break;
      }
      // One more frame: the edges of the last measured nodes are painted.
      await nextFrame();
      return () => setCapturing(false);
    });
    return () => setCanvasCapture(undefined);
  }, [flowStore]);
  return capturing;
}
