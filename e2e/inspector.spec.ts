/**
 * The Inspector edits the design through the command layer: each field writes only its own place in the YAML,
 * as one undo step. Also: screenshots of the inspector for each resource kind, in both themes.
 */
import { expect, test, type Page } from '@playwright/test';
import { editorText, node, openApp, pasteAll } from './app';

const inspector = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });

/** Ctrl+Z from the canvas (form fields keep their own text undo). */
async function undoOnCanvas(page: Page) {
  await page.getByRole('region', { name: 'Canvas' }).click({ position: { x: 8, y: 8 } });
  await page.keyboard.press('Control+z');
}

async function selectEdge(page: Page, label: string) {
  await page.locator('.edge-label', { hasText: label }).first().click();
  await expect(inspector(page)).toBeVisible();
}

async function selectNode(page: Page, name: string) {
  const n = node(page, name);
  // A service is a group: its own card sits inside, beside its subsets.
  const card = n.locator('.mesh-group-card');
  await ((await card.count()) ? card : n).click();
  await expect(inspector(page)).toBeVisible();
}

test.describe('inspector edits', () => {
  test('a weight: only that number (and its partner) change; Ctrl+Z restores', async ({ page }) => {
    await openApp(page);
    const original = await editorText(page);
    await selectEdge(page, '90%');
    const panel = inspector(page);
    await expect(panel).toContainText('Route “canary”');
    const v1 = panel.getByRole('spinbutton', { name: 'Weight of my-service · v1' });
    await v1.fill('80');
    await expect(panel.getByRole('spinbutton', { name: 'Weight of my-service · v2' })).toHaveValue('20');
    await v1.press('Enter');
    await expect.poll(() => editorText(page)).toBe(original.replace('weight: 90', 'weight: 80').replace('weight: 10', 'weight: 20'));
    await undoOnCanvas(page);
    await expect.poll(() => editorText(page)).toBe(original);
  });

  test('the fault route: the abort percentage changes in place; invalid input writes nothing', async ({ page }) => {
    await openApp(page);
    const original = await editorText(page);
    await selectEdge(page, '/test/fault');
    const panel = inspector(page);
    await expect(panel).toContainText('Route “fault-test”');
    const pct = panel.getByRole('textbox', { name: 'Fault abort percentage' });
    await expect(pct).toHaveValue('50');
    await pct.fill('150');
    await pct.press('Enter');
    await expect(panel.getByRole('alert')).toHaveText('A percentage is at most 100.');
    expect(await editorText(page)).toBe(original);
    await pct.fill('20');
    await pct.press('Enter');
    const expected = original.replace('        percentage:\n          value: 50\n        httpStatus: 503', '        percentage:\n          value: 20\n        httpStatus: 503');
    expect(expected).not.toBe(original);
    await expect.poll(() => editorText(page)).toBe(expected);
    await expect(pct).toHaveValue('20');
    // Ctrl+Z in the field, with nothing typed since the edit, undoes the edit (one history for the design).
    await pct.press('Control+z');
    await expect.poll(() => editorText(page)).toBe(original);
    await expect(pct).toHaveValue('50');
  });

  test('my-service: TLS mode and connection pool go into its DestinationRule', async ({ page }) => {
    await openApp(page);
    const original = await editorText(page);
    await selectNode(page, 'Service default/my-service');
    const panel = inspector(page);
    await panel.getByRole('combobox', { name: 'TLS mode', exact: true }).selectOption('SIMPLE');
    await expect.poll(() => editorText(page)).toBe(original.replace('mode: ISTIO_MUTUAL', 'mode: SIMPLE'));
    await undoOnCanvas(page);
    await expect.poll(() => editorText(page)).toBe(original);

    await selectNode(page, 'Service default/my-service');
    const max = inspector(page).getByRole('textbox', { name: 'TCP max connections', exact: true });
    await max.fill('ten');
    await max.press('Enter');
    await expect(inspector(page).getByRole('alert')).toContainText('Enter a whole number');
    await max.fill('10');
    await max.press('Enter');
    await expect.poll(() => editorText(page)).toBe(original.replace('      mode: ISTIO_MUTUAL\n', '      mode: ISTIO_MUTUAL\n    connectionPool:\n      tcp:\n        maxConnections: 10\n'));
    await undoOnCanvas(page);
    await expect.poll(() => editorText(page)).toBe(original);
  });

  test('a URI prefix match added to the canary route', async ({ page }) => {
    await openApp(page);
    const original = await editorText(page);
    await selectEdge(page, '90%');
    const panel = inspector(page);
    await panel.getByRole('textbox', { name: 'New match URI' }).fill('/api');
    await panel.getByRole('button', { name: 'Add match' }).click();
    // A new key goes after its siblings: the end of the rule.
    await expect.poll(() => editorText(page)).toBe(original.replace('      perTryTimeout: 1s\n', '      perTryTimeout: 1s\n    match:\n    - uri:\n        prefix: /api\n'));
    await expect(page.getByRole('group', { name: /to Subset my-service\/v1: uri \^ \/api, 90%$/ })).toBeVisible();
    await undoOnCanvas(page);
    await expect.poll(() => editorText(page)).toBe(original);
  });

  test('the gateway: a host added to its server', async ({ page }) => {
    await openApp(page);
    const original = await editorText(page);
    await selectNode(page, 'Gateway default/shop-gateway');
    const hosts = inspector(page).getByRole('textbox', { name: 'Server hosts' });
    await expect(hosts).toHaveValue('shop.example.com');
    await hosts.fill('shop.example.com, www.example.com');
    await hosts.press('Enter');
    await expect.poll(() => editorText(page)).toBe(original.replace('    hosts:\n    - shop.example.com\n', '    hosts:\n    - shop.example.com\n    - www.example.com\n'));
    await undoOnCanvas(page);
    await expect.poll(() => editorText(page)).toBe(original);
  });

  test('the ServiceEntry: resolution changes in place', async ({ page }) => {
    await openApp(page);
    const original = await editorText(page);
    await selectNode(page, 'ServiceEntry default/payment-api');
    await inspector(page).getByRole('combobox', { name: 'ServiceEntry resolution' }).selectOption('STATIC');
    await expect.poll(() => editorText(page)).toBe(original.replace('  resolution: DNS\n  location: MESH_EXTERNAL', '  resolution: STATIC\n  location: MESH_EXTERNAL'));
    await undoOnCanvas(page);
    await expect.poll(() => editorText(page)).toBe(original);
  });
});

test('while the YAML does not parse, the form is paused and says why', async ({ page }) => {
  await openApp(page);
  await selectNode(page, 'ServiceEntry default/payment-api');
  const resolution = inspector(page).getByRole('combobox', { name: 'ServiceEntry resolution' });
  await expect(resolution).toBeEnabled();
  const text = await editorText(page);
  await page.evaluate((t) => {
    const ed = (window as any).__meshcraftEditor.editor;
    ed.pushUndoStop();
    ed.executeEdits('api', [{ range: ed.getModel().getFullModelRange(), text: t }]);
    ed.pushUndoStop();
  }, text.replace('  resolution: DNS\n', '  resolution: [DNS\n'));
  await expect(inspector(page)).toContainText('Edits are paused while the YAML has errors');
  await expect(resolution).toBeDisabled();
  await page.evaluate(() => (window as any).__meshcraftEditor.editor.getModel().undo());
  await expect(resolution).toBeEnabled();
  expect(await editorText(page)).toBe(text);
});

test.describe('inspector screenshots', () => {
  const shots: [string, (page: Page) => Promise<void>][] = [
    ['route', (page) => selectEdge(page, '90%')],
    ['fault-route', (page) => selectEdge(page, '/test/fault')],
    ['service', (page) => selectNode(page, 'Service default/my-service')],
    ['subset', (page) => selectNode(page, 'Subset my-service/v2')],
    ['gateway', (page) => selectNode(page, 'Gateway default/shop-gateway')],
    ['serviceentry', (page) => selectNode(page, 'ServiceEntry default/payment-api')],
    ['client', (page) => selectNode(page, 'Deployment default/checkout')],
    ['entry', (page) => selectEdge(page, 'shop.example.com')],
  ];
  for (const theme of ['light', 'dark'] as const) {
    test(`each kind, ${theme} theme`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.emulateMedia({ colorScheme: theme });
      await openApp(page);
      for (const [name, select] of shots) {
        // Clear the selection and fit the mesh again (selecting pans what the dock would cover into view).
        await page.getByRole('region', { name: 'Canvas' }).click({ position: { x: 8, y: 8 } });
        await page.keyboard.press('f');
        await page.waitForTimeout(300);
        await select(page);
        await page.waitForTimeout(250);
        await page.screenshot({ path: `test-results/screens/inspector-${name}-${theme}.png` });
      }
      // The analyzer's messages about the selection come first, with their quick fix.
      const text = await editorText(page);
      await pasteAll(page, text.replace('        subset: v2\n      weight: 10', '        subset: v3\n      weight: 10'));
      await page.getByRole('region', { name: 'Canvas' }).click({ position: { x: 8, y: 8 } });
      await page.keyboard.press('f');
      await selectEdge(page, '10%');
      await expect(inspector(page).getByRole('list', { name: 'Analyzer findings' })).toContainText('IST0101');
      await page.waitForTimeout(250);
      await page.screenshot({ path: `test-results/screens/inspector-problems-${theme}.png` });
      await inspector(page).getByRole('button', { name: 'Collapse the inspector' }).click();
      await expect(inspector(page).getByRole('button', { name: /Show the inspector/ })).toBeVisible();
      await page.screenshot({ path: `test-results/screens/inspector-collapsed-${theme}.png` });
    });
  }
});
