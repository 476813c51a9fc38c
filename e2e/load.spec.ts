import { expect, test, type Locator, type Page } from '@playwright/test';
import { cursorAt, editorText, lineOf, node, openApp } from './app';

const CANARY = 'my-service · canary — everything else (from internet)';

async function openLoad(page: Page) {
  await page.getByRole('button', { name: 'Simulate load' }).click();
  const panel = page.getByRole('region', { name: 'Simulation' });
  await expect(panel.getByRole('table', { name: 'Traffic mix' })).toBeVisible();
  return panel;
}

/** Only the canary's catch-all request, `count` times. */
async function runCanary(panel: Locator, count: string) {
  await panel.getByRole('button', { name: `Only ${CANARY}` }).click();
  await panel.getByLabel('Requests', { exact: true }).fill(count);
  await panel.getByRole('button', { name: 'Run load' }).click();
}

/** Share in percent of each subset, as the Shares table shows it. */
async function shares(panel: Locator): Promise<Record<string, number>> {
  const rows = panel.getByRole('table', { name: 'Shares by subset' }).getByRole('row');
  await expect(rows.nth(1)).toBeVisible({ timeout: 20_000 });
  const out: Record<string, number> = {};
  for (const row of await rows.all()) {
    const head = row.getByRole('rowheader');
    if (!(await head.count())) continue;
    out[(await head.innerText()).trim()] = parseFloat((await row.getByRole('cell').last().innerText()).replace('%', ''));
  }
  return out;
}

const errorRateShown = async (panel: Locator) => parseFloat(/error rate ([\d.]+)%/.exec(await panel.getByRole('status', { name: 'Load result' }).innerText())![1]);

test.describe('run load and watch traffic, splits and faults', () => {
  // Several simulation runs each, on two shared cores.
  test.describe.configure({ timeout: 60_000 });
  test('10,000 requests on the 90/10 canary split 90/10, on the panel and on the canvas', async ({ page }) => {
    await openApp(page);
    const panel = await openLoad(page);
    await runCanary(panel, '10000');
    await expect(panel.getByRole('status', { name: 'Load result' })).toContainText('10,000 requests', { timeout: 20_000 });
    const s = await shares(panel);
    expect(Math.abs(s['my-service/v1'] - 90)).toBeLessThanOrEqual(2);
    expect(Math.abs(s['my-service/v2'] - 10)).toBeLessThanOrEqual(2);
    // On the canvas: health colours, metrics chips, labels with the share of the split, particles.
    await expect(node(page, 'Subset my-service/v1')).toHaveClass(/traffic-healthy/);
    await expect(node(page, 'Subset my-service/v1')).toHaveAttribute('data-traffic', /rps/);
    const v1Label = page.locator('.edge-label', { hasText: /^all traffic90%/ });
    const share = parseFloat(/^([\d.]+)%/.exec(await v1Label.locator('.edge-traffic').innerText())![1]);
    expect(Math.abs(share - 90)).toBeLessThanOrEqual(2);
    expect(await page.locator('.particles').count()).toBeGreaterThan(0);
    // The charts are drawn.
    await expect(panel.getByRole('img', { name: /Latency of 10,000 requests/ })).toBeVisible();
    expect(await panel.locator('.chart canvas').count()).toBe(3);

    // Results survive switching tabs; Clear removes them from the panel and the canvas.
    await panel.getByRole('tab', { name: 'Send a request' }).click();
    await panel.getByRole('tab', { name: 'Run load' }).click();
    await expect(panel.getByRole('status', { name: 'Load result' })).toContainText('10,000 requests');
    await panel.getByRole('button', { name: 'Clear results' }).click();
    await expect(panel.getByRole('status', { name: 'Load result' })).toHaveCount(0);
    await expect(node(page, 'Subset my-service/v1')).not.toHaveClass(/traffic-/);
    await expect(page.locator('.particles')).toHaveCount(0);
  });

  test('what-if: a 50 % abort gives a 50 % error rate without touching the YAML; the canary slider re-splits; Apply writes it', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' }); // no particles: this test is about numbers
    await openApp(page);
    const before = await editorText(page);
    const panel = await openLoad(page);
    await runCanary(panel, '10000');
    await expect(panel.getByRole('status', { name: 'Load result' })).toContainText('Run 1');

    await panel.getByRole('checkbox', { name: 'Abort 50% of my-service · canary with 503' }).check();
    await expect(panel.getByRole('status', { name: 'Load result' })).toContainText('abort on canary', { timeout: 20_000 });
    expect(Math.abs((await errorRateShown(panel)) - 50)).toBeLessThanOrEqual(2);
    await expect(node(page, 'Subset my-service/v1')).toHaveClass(/traffic-failing/);
    expect(await editorText(page)).toBe(before);

    // Compare with the previous run: error rate 0 % → ~50 %.
    await panel.getByRole('button', { name: 'Compare with previous run' }).click();
    const compare = panel.getByRole('table', { name: 'Compared with previous run' });
    await expect(compare.getByRole('row', { name: /error rate/ })).toContainText('0.0%');
    await page.screenshot({ path: 'test-results/screens/load-abort.png' });

    // The canary slider: 50/50 re-runs the last load with the new weights.
    await panel.getByRole('checkbox', { name: 'Abort 50% of my-service · canary with 503' }).uncheck();
    await panel.getByRole('slider', { name: 'What-if weight of v2 in my-service · canary' }).fill('50');
    await expect(panel.getByRole('status', { name: 'Load result' })).toContainText('canary 50/50', { timeout: 20_000 });
    const s = await shares(panel);
    expect(Math.abs(s['my-service/v2'] - 50)).toBeLessThanOrEqual(2);
    expect(await editorText(page)).toBe(before);

    // Apply to design: the YAML gets the new weights, one edit.
    await panel.getByRole('button', { name: 'Apply to design' }).click();
    await expect.poll(async () => /weight: 50[\s\S]*weight: 50/.test(await editorText(page))).toBe(true);
    expect((await editorText(page)).replace(/weight: 50/g, 'weight: X')).toBe(before.replace('weight: 90', 'weight: X').replace('weight: 10', 'weight: X'));
  });

  test('Cancel stops a long run at once and the UI stays responsive', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await openApp(page);
    const before = await editorText(page);
    const panel = await openLoad(page);
    await runCanary(panel, '5000000');
    const progress = panel.getByRole('progressbar', { name: 'Load progress' });
    await expect(progress).toBeVisible();
    await expect(progress).not.toHaveAttribute('aria-valuetext', /^0 of/);
    // While it runs: a node can be selected.
    await node(page, 'Service default/my-service').click({ position: { x: 40, y: 12 } });
    await expect(page.locator('.mesh-node.is-selected')).toHaveCount(1);
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await expect(panel.getByRole('status')).toHaveText('Cancelled; the design is unchanged.');
    await expect(progress).toHaveCount(0);
    await expect(panel.getByRole('button', { name: 'Run load' })).toBeEnabled();
    expect(await editorText(page)).toBe(before);
    // Right after: typing in the editor goes through.
    await cursorAt(page, lineOf(before, 'name: canary'));
    await page.keyboard.insertText('-x');
    await expect.poll(() => editorText(page)).toContain('name: canary-x');
    await expect(panel.getByRole('status', { name: 'Load result' })).toHaveCount(0);
  });
});

for (const theme of ['light', 'dark'] as const) {
  test(`screenshot: load results and charts, ${theme} theme`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'no-preference' });
    await openApp(page);
    const panel = await openLoad(page);
    // The whole mix (each route once in six), with a slow, flaky v2 to show errors and latency.
    await panel.getByText(/Upstream behaviour/).click();
    await panel.getByLabel('Latency of default/my-service-v2 in ms').fill('40');
    await panel.getByLabel('Error rate of default/my-service-v2 in percent').fill('4');
    await panel.getByRole('button', { name: 'Run load' }).click();
    await expect(panel.getByRole('status', { name: 'Load result' })).toContainText('10,000 requests', { timeout: 20_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `test-results/screens/load-${theme}.png` });
    const charts = panel.locator('.load-charts');
    await charts.scrollIntoViewIfNeeded();
    await expect(charts.locator('canvas')).toHaveCount(3);
    await panel.getByRole('region', { name: 'Load results' }).screenshot({ path: `test-results/screens/load-charts-${theme}.png` });
    await page.locator('.canvas-area').screenshot({ path: `test-results/screens/load-canvas-${theme}.png` });
  });
}
