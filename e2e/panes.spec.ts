/**
 * Panes: the Inspector takes its width from the canvas (fit view and pan-into-view use the canvas that shows); the
 * Inspector, the drawer, the request and load forms, the charts and the editor split are resized by separators
 * (pointer and keyboard) and folded by labelled buttons; sizes and folds survive switching panels and reloading.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { node, openApp } from './app';

const inspector = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });
const canvas = (page: Page) => page.getByLabel('Mesh canvas');
const box = async (l: Locator) => (await l.boundingBox())!;
const width = async (l: Locator) => (await box(l)).width;

/** `inner` lies inside `outer` (screen pixels, with half a pixel of rounding). */
async function inside(inner: Locator, outer: Locator) {
  const [a, b] = [await box(inner), await box(outer)];
  return a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;
}

/** Reload and wait for the canvas (the editor may be folded). */
async function reload(page: Page) {
  await page.reload();
  await expect(node(page, 'Service default/my-service')).toBeVisible({ timeout: 15_000 });
}

test('the Inspector narrows the canvas; fit and pan-into-view use what shows; resized and folded, it stays so after a reload', async ({ page }) => {
  test.setTimeout(60_000); // two page loads
  await openApp(page);
  const full = await width(canvas(page));
  const entry = node(page, 'ServiceEntry default/payment-api');
  await entry.click();
  await expect(inspector(page)).toBeVisible();
  const dock = await box(inspector(page));
  // Beside the canvas, not over it: the canvas ends where the dock begins.
  await expect.poll(async () => Math.round(full - (await width(canvas(page))))).toBe(Math.round(dock.width));
  const c = await box(canvas(page));
  expect(c.x + c.width).toBeLessThanOrEqual(dock.x + 0.5);
  // The selection was pushed out of sight by the dock: the view panned it back.
  await expect.poll(() => inside(entry, canvas(page))).toBe(true);

  // F fits the whole mesh into the canvas that shows.
  await page.keyboard.press('f');
  for (const name of ['Gateway default/shop-gateway', 'ServiceEntry default/payment-api', 'Service default/my-service', 'Deployment default/checkout']) {
    await expect.poll(() => inside(node(page, name), canvas(page))).toBe(true);
  }

  // The dock's edge: arrow keys, then a drag.
  const edge = inspector(page).getByRole('separator', { name: 'Resize the inspector' });
  await expect(edge).toHaveAttribute('aria-valuenow', '320');
  await edge.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(edge).toHaveAttribute('aria-valuenow', '360');
  await expect.poll(async () => Math.round(full - (await width(canvas(page))))).toBe(360);
  const e = await box(edge);
  await page.mouse.move(e.x + e.width / 2, e.y + 200);
  await page.mouse.down();
  await page.mouse.move(e.x + e.width / 2 - 30, e.y + 200, { steps: 3 });
  await page.mouse.move(e.x + e.width / 2 - 50, e.y + 200, { steps: 3 });
  await page.mouse.up();
  await expect(edge).toHaveAttribute('aria-valuenow', '410');
  await expect.poll(async () => Math.round(full - (await width(canvas(page))))).toBe(410);

  // Enter on the separator folds the dock to a strip; the canvas gets the width back but the strip's.
  await edge.focus();
  await page.keyboard.press('Enter');
  const expand = inspector(page).getByRole('button', { name: /Show the inspector/ });
  await expect(expand).toBeFocused();
  await expect.poll(async () => Math.round(full - (await width(canvas(page))))).toBe(34);

  // After a reload: still folded, and unfolded it has its width.
  await reload(page);
  await node(page, 'ServiceEntry default/payment-api').click();
  await inspector(page).getByRole('button', { name: /Show the inspector/ }).click();
  await expect(inspector(page).getByRole('separator', { name: 'Resize the inspector' })).toHaveAttribute('aria-valuenow', '410');
  await expect.poll(async () => Math.round(full - (await width(canvas(page))))).toBe(410);
});

test('the drawer, the load form and the charts: resized and folded, kept across panels and reloads; charts follow their panel', async ({ page }) => {
  test.setTimeout(60_000);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openApp(page);
  await page.getByRole('button', { name: 'Simulate load' }).click();
  const drawer = page.getByRole('region', { name: 'Simulation' });
  const top = drawer.getByRole('separator', { name: 'Resize the panel' });
  await expect(top).toHaveAttribute('aria-valuenow', '400');
  await top.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(top).toHaveAttribute('aria-valuenow', '440');
  await expect.poll(async () => Math.round((await box(drawer)).height)).toBe(440);

  await drawer.getByLabel('Requests', { exact: true }).fill('2000');
  await drawer.getByRole('button', { name: 'Run load' }).click();
  await expect(drawer.getByRole('status', { name: 'Load result' })).toContainText('2,000 requests', { timeout: 20_000 });
  const charts = drawer.getByRole('region', { name: 'Charts' });
  const figure = charts.getByRole('img', { name: /Latency of 2,000 requests/ });
  const chart = figure.locator('canvas').first();
  await chart.scrollIntoViewIfNeeded();
  const before = await box(chart);
  const chartsWidth = await width(charts);

  // Folding the form gives the results its width: the charts are redrawn to their new boxes.
  await drawer.getByRole('button', { name: 'Hide the load form' }).click();
  await expect(drawer.getByRole('form', { name: 'Load' })).toHaveCount(0);
  await expect.poll(async () => width(charts)).toBeGreaterThan(chartsWidth + 200);
  for (const img of await charts.getByRole('img').all()) {
    await expect.poll(async () => Math.abs((await width(img.locator('canvas').first())) - (await width(img)))).toBeLessThan(2);
  }
  // The charts' separator sets their height.
  const chartsEdge = charts.getByRole('separator', { name: 'Resize the charts' });
  await chartsEdge.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await expect(chartsEdge).toHaveAttribute('aria-valuenow', '180');
  await expect.poll(async () => Math.round((await box(chart)).height - before.height)).toBe(30);

  // Switching panels keeps all that, and the results.
  await drawer.getByRole('tab', { name: 'Send a request' }).click();
  await drawer.getByRole('tab', { name: 'Run load' }).click();
  await expect(drawer.getByRole('button', { name: 'Show the load form' })).toBeVisible();
  await expect(drawer.getByRole('status', { name: 'Load result' })).toContainText('2,000 requests');
  await expect(charts.getByRole('separator', { name: 'Resize the charts' })).toHaveAttribute('aria-valuenow', '180');
  await expect(top).toHaveAttribute('aria-valuenow', '440');

  // Folded down to its tabs: the canvas gets the height; a tab unfolds it.
  const canvasHeight = (await box(canvas(page))).height;
  await drawer.getByRole('button', { name: 'Collapse the panel' }).click();
  await expect(drawer.getByRole('tabpanel')).toHaveCount(0);
  await expect(drawer.getByRole('tab', { name: 'Run load' })).toBeVisible();
  await expect.poll(async () => (await box(canvas(page))).height).toBeGreaterThan(canvasHeight + 300);
  await drawer.getByRole('button', { name: 'Expand the panel' }).click();
  await expect(drawer.getByRole('tabpanel')).toBeVisible();

  // The request form folds too, on its own.
  await drawer.getByRole('tab', { name: 'Send a request' }).click();
  await drawer.getByRole('button', { name: 'Hide the request form' }).click();
  await expect(drawer.getByRole('form', { name: 'Request' })).toHaveCount(0);

  // After a reload: the same sizes and folds (the results are gone: a run is not saved).
  await reload(page);
  await page.getByRole('button', { name: 'Simulate load' }).click();
  await expect(top).toHaveAttribute('aria-valuenow', '440');
  await expect(drawer.getByRole('button', { name: 'Show the load form' })).toBeVisible();
  await drawer.getByRole('button', { name: 'Show the load form' }).click();
  await drawer.getByRole('button', { name: 'Run load' }).click();
  await expect(charts.getByRole('separator', { name: 'Resize the charts' })).toHaveAttribute('aria-valuenow', '180', { timeout: 20_000 });
  await charts.getByRole('button', { name: 'Hide charts' }).click();
  await expect(charts.getByRole('img')).toHaveCount(0);
  await drawer.getByRole('tab', { name: 'Send a request' }).click();
  await expect(drawer.getByRole('button', { name: 'Show the request form' })).toBeVisible();
});

test('the editor split: keyboard-resized, the editor folds into a strip and stays folded after a reload', async ({ page }) => {
  test.setTimeout(60_000); // two page loads with Monaco
  await openApp(page);
  const split = page.getByRole('separator', { name: 'Resize canvas and editor' });
  await expect(split).toHaveAttribute('aria-valuenow', '58');
  const before = await width(canvas(page));
  await split.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(split).toHaveAttribute('aria-valuenow', '55');
  await expect.poll(async () => width(canvas(page))).toBeLessThan(before - 30);

  await page.getByRole('button', { name: 'Hide the YAML editor' }).click();
  await expect(page.getByRole('region', { name: 'YAML editor' })).toBeHidden();
  await expect.poll(async () => width(canvas(page))).toBeGreaterThan(1300);
  await reload(page);
  await expect(page.getByRole('region', { name: 'YAML editor' })).toBeHidden();
  await page.getByRole('button', { name: 'Show the YAML editor' }).click();
  await expect(page.getByRole('region', { name: 'YAML editor' }).locator('.monaco-editor')).toBeVisible();
  await expect(page.getByRole('separator', { name: 'Resize canvas and editor' })).toHaveAttribute('aria-valuenow', '55');
});

for (const theme of ['light', 'dark'] as const) {
  test(`screenshots: docked Inspector, drawer, folded panes, ${theme} theme`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await openApp(page);
    await page.getByRole('button', { name: 'Got it' }).click();
    await page.getByRole('button', { name: 'Simulate load' }).click();
    const drawer = page.getByRole('region', { name: 'Simulation' });
    await drawer.getByRole('button', { name: 'Run load' }).click();
    await expect(drawer.getByRole('status', { name: 'Load result' })).toContainText('10,000 requests', { timeout: 20_000 });
    await node(page, 'Service default/my-service').locator('.mesh-group-card').click();
    await expect(inspector(page)).toBeVisible();
    await page.waitForTimeout(400);
    await page.screenshot({ path: `test-results/screens/panes-docked-${theme}.png` });
    // Everything folded: the canvas takes the room, each strip says what it brings back.
    await drawer.getByRole('button', { name: 'Hide the load form' }).click();
    await page.getByRole('button', { name: 'Hide the YAML editor' }).click();
    await inspector(page).getByRole('button', { name: 'Collapse the inspector' }).click();
    await page.waitForTimeout(400);
    await page.screenshot({ path: `test-results/screens/panes-folded-${theme}.png` });
    await drawer.getByRole('tab', { name: 'Send a request' }).click();
    await drawer.getByRole('button', { name: 'Send request' }).click();
    await expect(drawer.getByRole('status', { name: 'Trace result' })).toBeVisible();
    await drawer.getByRole('button', { name: 'Collapse the panel' }).click();
    await drawer.getByRole('tab', { name: 'Send a request' }).focus();
    await page.waitForTimeout(400);
    await page.screenshot({ path: `test-results/screens/panes-drawer-folded-${theme}.png` });
  });
}
