import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { generateMesh } from '../bench/gen';
import { openApp, pasteAll } from './app';

async function exportAs(page: Page, name: string) {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), page.getByRole('menuitem', { name }).click()]);
  return readFileSync(await download.path());
}

/** The ids of the nodes drawn in an exported SVG (React Flow's node elements keep their data-id). */
const svgNodeIds = (svg: string) => new Set([...svg.matchAll(/class="react-flow__node [^"]*"[^>]*?data-id="([^"]+)"|data-id="([^"]+)"[^>]*?class="react-flow__node /g)].map((m) => m[1] ?? m[2]));

/** What React Flow holds: every node's id, and the bounds of them all. */
const flowNodes = (page: Page) =>
  page.evaluate(() => {
    const flow = (window as any).__meshcraftFlow;
    const nodes = flow.getNodes() as { id: string }[];
    return { ids: nodes.map((n) => n.id), bounds: flow.getNodesBounds(nodes) as { width: number; height: number } };
  });

test('images of a large design hold every node: from the zoomed-out overview and zoomed in with most nodes off-screen', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page);
  await pasteAll(page, generateMesh({ services: 100, seed: 11 }));
  await page.waitForFunction(() => {
    const s = (window as any).__meshcraftStore.getState();
    return s.analyzedVersion === s.version && s.graph.nodes.length > 300 && !s.layoutBusy && Object.keys(s.auto).length >= s.graph.nodes.length;
  }, null, { timeout: 90_000 });
  await page.evaluate(() => (window as any).__meshcraftFlow.fitView({ duration: 0 }));
  // Zoomed out to fit, a design this large is drawn by the overview layer: React Flow renders none of its nodes.
  await expect(page.locator('.react-flow.lod-canvas')).toHaveCount(1, { timeout: 10_000 });
  expect(await page.locator('.react-flow__node').count()).toBe(0);
  const { ids, bounds } = await flowNodes(page);
  expect(ids.length).toBeGreaterThan(300);

  const overviewSvg = (await exportAs(page, 'Export the canvas as an SVG image')).toString('utf8');
  expect([...svgNodeIds(overviewSvg)].sort()).toEqual([...ids].sort());
  // The overview is back once the picture is taken.
  await expect(page.locator('.react-flow.lod-canvas')).toHaveCount(1);

  // Zoomed in on one corner: only the nodes in view are rendered.
  await page.evaluate(() => (window as any).__meshcraftFlow.setViewport({ x: 0, y: 0, zoom: 1.2 }));
  await expect(page.locator('.react-flow.lod-canvas')).toHaveCount(0);
  await expect.poll(() => page.locator('.react-flow__node').count()).toBeLessThan(ids.length / 2);
  const zoomedSvg = (await exportAs(page, 'Export the canvas as an SVG image')).toString('utf8');
  expect([...svgNodeIds(zoomedSvg)].sort()).toEqual([...ids].sort());
  expect(zoomedSvg).toContain('aria-label="Gateway istio-system/public-gateway"');
  expect(zoomedSvg).not.toContain('opacity: 0.55'); // not dimmed as out of date: the picture of the design as it is

  const png = await exportAs(page, 'Export the canvas as a PNG image');
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  // The picture has the graph's proportions (plus a margin): the whole graph, not the part in view.
  expect(Math.abs(width / height - bounds.width / bounds.height)).toBeLessThan(0.1 * (bounds.width / bounds.height));
  expect(Math.max(width, height)).toBeGreaterThan(2000);
  mkdirSync('test-results/screens', { recursive: true });
  writeFileSync('test-results/screens/export-large.png', png);
  // The view is where the user left it.
  expect(await page.evaluate(() => (window as any).__meshcraftFlow.getViewport().zoom)).toBe(1.2);
});
