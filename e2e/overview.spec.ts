/**
 * The overview of a large generated design (nodes drawn on one canvas, not in the DOM): a node can be dragged (its
 * position is kept as a manual position; the view does not pan), a subset drags its service, a click selects the
 * node where it now is, and a right-click (or Shift+F10 on the node list) opens the node's menu (the canvas's menu on
 * empty canvas).
 */
import { expect, test, type Page } from '@playwright/test';
import { generateMesh } from '../bench/gen';
import { openApp } from './app';

interface Placed {
  id: string;
  label: string;
  parent?: string;
  x: number;
  y: number;
  /** The node's middle, in screen pixels. */
  cx: number;
  cy: number;
}

/** Where a node of the graph is (flow coordinates) and shows (screen), by kind. */
function placed(page: Page, kind: string, child: boolean): Promise<Placed> {
  return page.evaluate(
    ([kind, child]) => {
      const flow = (window as any).__meshcraftFlow;
      const { graph } = (window as any).__meshcraftStore.getState();
      const g = graph.nodes.find((n: any) => n.kind === kind && !!n.parent === child);
      const n = flow.getInternalNode(g.id);
      const p = n.internals.positionAbsolute;
      const c = flow.flowToScreenPosition({ x: p.x + (n.measured?.width ?? n.width) / 2, y: p.y + (n.measured?.height ?? n.height) / 2 });
      return { id: g.id, label: g.label, parent: g.parent, x: n.position.x, y: n.position.y, cx: c.x, cy: c.y };
    },
    [kind, child] as const,
  );
}

const position = (page: Page, id: string) => page.evaluate((id) => (window as any).__meshcraftFlow.getInternalNode(id).position as { x: number; y: number }, id);
const viewport = (page: Page) => page.evaluate(() => (window as any).__meshcraftFlow.getViewport() as { x: number; y: number; zoom: number });
/** Resolves once the view has stopped moving (the Inspector, opening, pans its selection clear of itself in 200 ms). */
async function settled(page: Page) {
  let last = await viewport(page);
  await expect.poll(async () => {
    const now = await viewport(page);
    const still = now.x === last.x && now.y === last.y && now.zoom === last.zoom;
    last = now;
    return still;
  }, { intervals: [100] }).toBe(true);
}
const selection = (page: Page) => page.evaluate(() => (window as any).__meshcraftStore.getState().selection?.id as string | undefined);

async function drag(page: Page, from: { x: number; y: number }, dx: number, dy: number) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + dx / 2, from.y + dy / 2, { steps: 4 });
  await page.mouse.move(from.x + dx, from.y + dy, { steps: 4 });
  await page.mouse.up();
}

test('overview: drag a node, drag a subset’s service, select where it went, right-click menus', async ({ page }) => {
  test.setTimeout(90_000);
  await openApp(page);
  await page.evaluate((t) => {
    const ed = (window as any).__meshcraftEditor.editor;
    ed.executeEdits('test', [{ range: ed.getModel().getFullModelRange(), text: t }]);
  }, generateMesh({ services: 60, seed: 11 }));
  await page.waitForFunction('(() => { const s = window.__meshcraftStore.getState(); return s.version > 1 && s.analyzedVersion === s.version && s.graph.nodes.length > 150 && !s.layoutBusy; })()', null, { timeout: 60_000 });
  // Fitted, a design this large is zoomed out into the overview: nodes are drawn on a canvas, listed for screen readers.
  await page.getByLabel('Mesh canvas').click({ position: { x: 400, y: 5 } });
  await page.keyboard.press('f');
  const list = page.getByRole('list', { name: 'Nodes in the overview' });
  await expect(list).toBeAttached({ timeout: 10_000 });
  await expect(page.locator('canvas.overview-layer')).toHaveAttribute('data-drawn', /\d+/);
  await page.waitForTimeout(400); // the fit's animation
  const vp = await viewport(page);
  expect(vp.zoom).toBeLessThan(0.45);

  // Drag an external service (at the right of the layout: leftwards, to stay on the canvas): it moves by the
  // pointer's travel (in flow units); the view stays where it was.
  const ext = await placed(page, 'external', false);
  await drag(page, { x: ext.cx, y: ext.cy }, -80, 40);
  await expect.poll(async () => {
    const p = await position(page, ext.id);
    return Math.round(Math.hypot(p.x - (ext.x - 80 / vp.zoom), p.y - (ext.y + 40 / vp.zoom)));
  }).toBeLessThanOrEqual(1);
  expect(await page.evaluate((id) => !!(window as any).__meshcraftStore.getState().manual[id], ext.id)).toBe(true);
  expect(await viewport(page)).toEqual(vp);
  expect(await selection(page)).toBeUndefined(); // a drag is not a click

  // A subset drags its whole service.
  const sub = await placed(page, 'subset', true);
  const service = await position(page, sub.parent!);
  await drag(page, { x: sub.cx, y: sub.cy }, 0, 60);
  await expect.poll(async () => Math.round((await position(page, sub.parent!)).y - (service.y + 60 / vp.zoom))).toBe(0);
  expect((await position(page, sub.parent!)).x).toBeCloseTo(service.x, 3);

  // A click where the external service now is selects it.
  const moved = await placed(page, 'external', false);
  expect(moved.id).toBe(ext.id);
  await page.mouse.click(moved.cx, moved.cy);
  await expect.poll(() => selection(page)).toBe(ext.id);
  await expect(list.getByRole('button', { name: ext.label, exact: true })).toHaveAttribute('aria-pressed', 'true');

  // A right-click on it: the node's menu, as on a node drawn in the DOM. The Inspector, opening, pans the selection
  // clear of itself (200 ms, started after it has rendered: on a busy machine well after the click), so the test
  // right-clicks where the node is once the view has settled and the point shows the canvas, and tries again if the
  // view moved in between (a right-click that lands on the Inspector does nothing).
  const menu = page.getByRole('menu', { name: ext.label });
  await expect(async () => {
    if (await page.getByRole('menu').count()) await page.keyboard.press('Escape'); // the canvas's, from a miss
    await settled(page);
    const now = await placed(page, 'external', false);
    const under = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('.react-flow__pane') ? '' : document.elementFromPoint(x, y)?.outerHTML.slice(0, 120) ?? 'nothing', [now.cx, now.cy] as const);
    expect(under, 'what the pointer would hit').toBe('');
    await page.mouse.click(now.cx, now.cy, { button: 'right' });
    await expect(menu).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  for (const item of ['Show in YAML', 'Copy', 'Duplicate', 'Delete']) await expect(menu.getByRole('menuitem', { name: new RegExp(`^${item}`) })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/overview-menu.png' });
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  // From the keyboard: the node list's button, then Shift+F10 (or the menu key).
  await list.getByRole('button', { name: ext.label, exact: true }).focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu.getByRole('menuitem', { name: 'Show in YAML' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);

  // On empty canvas: the canvas's menu.
  const empty = await page.evaluate(() => {
    const flow = (window as any).__meshcraftFlow;
    const rect = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
    const boxes = flow.getNodes().map((n: any) => flow.getInternalNode(n.id)).map((n: any) => ({ ...n.internals.positionAbsolute, w: n.measured?.width ?? n.width, h: n.measured?.height ?? n.height }));
    for (let y = rect.top + 250; y < rect.bottom - 20; y += 20)
      for (let x = rect.left + 200; x < rect.right - 60; x += 20) {
        const p = flow.screenToFlowPosition({ x, y });
        if (!boxes.some((b: any) => p.x >= b.x - 30 && p.x <= b.x + b.w + 30 && p.y >= b.y - 30 && p.y <= b.y + b.h + 30)) return { x, y };
      }
    return undefined;
  });
  expect(empty).toBeDefined();
  await page.mouse.click(empty!.x, empty!.y, { button: 'right' });
  await expect(page.getByRole('menu', { name: 'Canvas' })).toBeVisible();
  await page.keyboard.press('Escape');
});
