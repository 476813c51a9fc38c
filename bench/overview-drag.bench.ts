/**
 * Dragging a node in the overview (large designs zoomed out, drawn on one canvas) in a real Chromium against the
 * production build (`npm run build` first): frames per second while a node follows the pointer (one pointer move per
 * frame for 3 s) on generated designs of ~200 and ~1,000 nodes. Skipped with a note when there is no build or no
 * Chromium.
 */
import { loadDesign, round, withBrowser } from './browser';
import { generateMesh } from './gen';

const PORT = Number(process.env.DRAG_BENCH_PORT ?? 4184);

/** rAF callbacks per second while a top-level node is dragged in circles (a string: tsx would inject helpers). */
const DRAG_SCRIPT = `(async () => {
  const flow = window.__meshcraftFlow;
  const settle = (p) => Promise.race([p, new Promise((r) => setTimeout(r, 2000))]);
  await settle(flow.fitView({ duration: 0 }));
  await new Promise((r) => setTimeout(r, 300));
  if (!document.querySelector('canvas.overview-layer')) throw new Error('not in the overview');
  const node = flow.getNodes().find((n) => !n.parentId && !n.id.startsWith('ns:'));
  const i = flow.getInternalNode(node.id);
  const p = i.internals.positionAbsolute;
  const c = flow.flowToScreenPosition({ x: p.x + (i.measured?.width ?? node.width) / 2, y: p.y + (i.measured?.height ?? node.height) / 2 });
  const pane = document.querySelector('.react-flow__pane');
  const at = (t) => ({ clientX: c.x + 60 * Math.sin(t / 300), clientY: c.y + 40 * (1 - Math.cos(t / 400)), pointerId: 1, bubbles: true });
  pane.dispatchEvent(new PointerEvent('pointerdown', { ...at(0), button: 0, buttons: 1 }));
  let frames = 0;
  const t0 = performance.now();
  await new Promise((resolve) => {
    const tick = () => {
      const t = performance.now() - t0;
      frames++;
      window.dispatchEvent(new PointerEvent('pointermove', { ...at(t), buttons: 1 }));
      if (t < 3000) requestAnimationFrame(tick); else resolve();
    };
    requestAnimationFrame(tick);
  });
  const fps = (frames * 1000) / (performance.now() - t0);
  window.dispatchEvent(new PointerEvent('pointerup', { ...at(3000), button: 0 }));
  if (!window.__meshcraftStore.getState().manual[node.id]) throw new Error('the node did not move');
  return fps;
})()`;


export default function overviewDragBench() {
  return withBrowser('overview drag bench', PORT, async (browser, url) => {
    const results = [];
    for (const [label, services] of [
      ['nodes_200', 60],
      ['nodes_1000', 300],
    ] as const) {
      // A page of its own (a fresh browser context): the design saved by the previous one is not restored.
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(url);
      await page.locator('.monaco-editor').waitFor();
      await loadDesign(page, generateMesh({ services, seed: 11 }));
      await page.waitForTimeout(1500);
      const nodes = await page.evaluate(() => (window as any).__meshcraftFlow.getNodes().length);
      results.push({ name: `ui.overview_drag.nodes.${label}`, value: nodes, unit: 'nodes' });
      results.push({ name: `ui.overview_drag.fps.${label}`, value: round(await page.evaluate(DRAG_SCRIPT)), unit: 'fps' });
      await page.close();
    }
    return results;
  });
}
