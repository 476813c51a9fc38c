import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { cursorAt, editor, editorText, lineOf, node, openApp, pasteAll, savedDesign } from './app';

const bookinfo = ['destination-rule-all.yaml', 'virtual-service-all-v1.yaml']
  .map((f) => readFileSync(`src/graph/fixtures/bookinfo/${f}`, 'utf8'))
  .join('\n---\n');

/** A paste on the canvas, as Ctrl+V with YAML on the clipboard would deliver it. */
async function pasteOnCanvas(page: Page, text: string) {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.querySelector('.react-flow')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

test.describe('paste, open, drop and save', () => {
  test("pasting Istio's Bookinfo destination rules and virtual services shows them", async ({ page }) => {
    await openApp(page);
    await pasteOnCanvas(page, bookinfo);
    const dialog = page.getByRole('dialog', { name: 'Import YAML' });
    await expect(dialog).toContainText('From the clipboard: 8 resources (4 DestinationRule, 4 VirtualService)');
    await dialog.getByRole('button', { name: 'Replace design' }).click();
    for (const name of ['Service default/productpage', 'Service default/reviews', 'Subset reviews/v1', 'Subset reviews/v3', 'Subset ratings/v2-mysql', 'Service default/details']) {
      await expect(node(page, name), name).toBeVisible();
    }
    await expect(node(page, 'Service default/my-service')).toHaveCount(0);
    expect(await editorText(page)).toBe(bookinfo);
    // One undo step takes the whole paste back, from the canvas.
    await node(page, 'Service default/reviews').locator('.mesh-node').first().click();
    await page.keyboard.press('Control+z');
    await expect(node(page, 'Service default/my-service')).toBeVisible();
    await expect(node(page, 'Service default/reviews')).toHaveCount(0);
    await page.keyboard.press('Control+Shift+z');
    await expect(node(page, 'Service default/reviews')).toBeVisible();
  });

  test('merging reports name clashes and keeps both designs', async ({ page }) => {
    await openApp(page);
    const clash = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: my-service\n  namespace: default\nspec:\n  host: my-service\n  subsets:\n  - name: v1\n    labels: {version: v1}\n  - name: v3\n    labels: {version: v3}\n';
    await pasteOnCanvas(page, bookinfo + '\n---\n' + clash);
    const dialog = page.getByRole('dialog', { name: 'Import YAML' });
    await expect(dialog.getByLabel('Name clashes')).toContainText('1 name clash with the current design');
    await expect(dialog.getByLabel('Name clashes')).toContainText('DestinationRule default/my-service');
    await dialog.getByRole('button', { name: 'Merge into design' }).click();
    await expect(node(page, 'Subset reviews/v2')).toBeVisible();
    await expect(node(page, 'Subset my-service/v3')).toBeVisible();
    await expect(node(page, 'Gateway default/shop-gateway')).toBeVisible();
  });

  test('opening files and dropping files offer the same import; Save downloads the YAML', async ({ page }) => {
    await openApp(page);
    await page.getByLabel('YAML files to open').setInputFiles([
      { name: 'dr.yaml', mimeType: 'application/yaml', buffer: readFileSync('src/graph/fixtures/bookinfo/destination-rule-all.yaml') },
      { name: 'vs.yaml', mimeType: 'application/yaml', buffer: readFileSync('src/graph/fixtures/bookinfo/virtual-service-all-v1.yaml') },
    ]);
    const dialog = page.getByRole('dialog', { name: 'Import YAML' });
    await expect(dialog).toContainText('From dr.yaml, vs.yaml: 8 resources');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);

    await page.evaluate(async (text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'reviews.yaml', { type: 'application/yaml' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, readFileSync('src/graph/fixtures/bookinfo/virtual-service-reviews-test-v2.yaml', 'utf8'));
    await expect(dialog).toContainText('From reviews.yaml: 1 resource (1 VirtualService)');
    await dialog.getByRole('button', { name: 'Replace design' }).click();
    await expect(node(page, 'Service default/reviews')).toBeVisible();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save design as YAML' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('meshcraft-design.yaml');
    expect(readFileSync(await file.path(), 'utf8')).toBe(await editorText(page));
  });
});

test.describe('linked selection', () => {
  test('moving the cursor in the YAML selects the node or route it belongs to', async ({ page }) => {
    await openApp(page);
    const text = await editorText(page);
    // The user moves the cursor with the keyboard (programmatic moves do not select).
    await cursorAt(page, lineOf(text, '  - name: v2\n    labels:\n      version: v2') + 1);
    await page.keyboard.press('ArrowDown');
    await expect(node(page, 'Subset my-service/v2')).toHaveClass(/selected/);
    await cursorAt(page, lineOf(text, '      weight: 10') - 1);
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('group', { name: 'Route Service default/my-service to Subset my-service/v2: all traffic, 10%' })).toHaveClass(/selected/);
    await expect(node(page, 'Subset my-service/v2')).not.toHaveClass(/selected/);
  });

  test('Ctrl+Z in the editor undoes typing', async ({ page }) => {
    await openApp(page);
    const before = await editorText(page);
    await cursorAt(page, lineOf(before, '      weight: 90'));
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.insertText('75');
    await expect(page.getByRole('group', { name: /Route Service default\/my-service to Subset my-service\/v1: all traffic, 88.2%/ })).toBeVisible();
    await page.keyboard.press('Control+z');
    await expect.poll(() => editorText(page)).toBe(before);
    await expect(page.getByRole('group', { name: /Route Service default\/my-service to Subset my-service\/v1: all traffic, 90%/ })).toBeVisible();
  });
});

test.describe('never losing work', () => {
  test('a reload restores the design and where its undo history stands: undo and redo walk the edits made before it', async ({ page }) => {
    test.setTimeout(90_000);
    await openApp(page);
    const original = await editorText(page);
    // A canvas edit: the route inspector sets the canary's weights.
    await page.locator('.edge-label', { hasText: '90%' }).click();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await inspector.getByRole('spinbutton', { name: 'Weight of my-service · v1' }).fill('75');
    await inspector.getByRole('spinbutton', { name: 'Weight of my-service · v1' }).press('Enter');
    const afterCanvas = original.replace('weight: 90', 'weight: 75').replace('weight: 10', 'weight: 25');
    await expect.poll(() => editorText(page)).toBe(afterCanvas);
    await expect(page.getByRole('group', { name: /to Subset my-service\/v1: all traffic, 75%$/ })).toBeVisible();
    // A YAML edit: typing over the new weight in the editor.
    await cursorAt(page, lineOf(afterCanvas, '      weight: 75'));
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.insertText('70');
    const edited = afterCanvas.replace('weight: 75', 'weight: 70');
    await expect.poll(() => editorText(page)).toBe(edited);
    // Autosave writes within half a second, the history with the text.
    await expect.poll(() => savedDesign(page).then((d) => [d.text, d.history?.position])).toEqual([edited, 2]);

    await page.reload();
    await expect(node(page, 'Service default/my-service')).toBeVisible({ timeout: 15_000 });
    await expect.poll(() => editorText(page).catch(() => ''), { timeout: 15_000 }).toBe(edited);
    const canvas = page.getByRole('region', { name: 'Canvas' });
    await canvas.click({ position: { x: 8, y: 8 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => editorText(page)).toBe(afterCanvas);
    await page.keyboard.press('Control+z');
    await expect.poll(() => editorText(page)).toBe(original);
    await expect(page.getByRole('group', { name: /to Subset my-service\/v1: all traffic, 90%$/ })).toBeVisible();
    // Nothing older to undo: the design as it was loaded stays.
    await page.keyboard.press('Control+z');
    expect(await editorText(page)).toBe(original);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => editorText(page)).toBe(afterCanvas);

    // The position survives a reload too: what was undone can be redone after it.
    await expect.poll(() => savedDesign(page).then((d) => [d.text, d.history?.position, d.history?.steps.length])).toEqual([afterCanvas, 1, 2]);
    await page.reload();
    await expect.poll(() => editorText(page).catch(() => ''), { timeout: 15_000 }).toBe(afterCanvas);
    await editor(page).locator('.monaco-editor').click();
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => editorText(page)).toBe(edited);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => editorText(page)).toBe(original);
  });

  test('a tab that dies while the user types without a pause loses at most the last second; dragged nodes keep their places', async ({ page, context }) => {
    test.setTimeout(90_000);
    await openApp(page);
    await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled({ timeout: 15_000 });
    const gateway = node(page, 'Gateway default/shop-gateway');
    const box = (await gateway.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 120, { steps: 8 });
    await page.mouse.up();
    const placed = await gateway.evaluate((el) => (el.closest('.react-flow__node') as HTMLElement).style.transform);
    const text = await editorText(page);
    await cursorAt(page, lineOf(text, 'kind: Gateway'));
    // Two seconds of typing, a key every 100 ms: a save that waited for a pause would never come.
    const typed = '  #typed-without-a-pause';
    await page.keyboard.type(typed, { delay: 100 });
    // The tab stops dead, as in a crash: no pagehide, no last save. (Frozen, it still holds its design: the next tab
    // opens a copy of what was saved.)
    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    const next = await context.newPage();
    await next.goto('/');
    await expect(node(next, 'Gateway default/shop-gateway')).toBeVisible({ timeout: 15_000 });
    await expect.poll(() => editorText(next).catch(() => ''), { timeout: 15_000 }).toContain('kind: Gateway  #typed');
    // What was typed more than a second before the crash is there.
    const line = (await editorText(next)).split('\n').find((l) => l.startsWith('kind: Gateway'))!;
    expect(line.length - 'kind: Gateway'.length).toBeGreaterThanOrEqual(typed.length - 10);
    expect(typed.startsWith(line.slice('kind: Gateway'.length))).toBe(true);
    await expect.poll(() => node(next, 'Gateway default/shop-gateway').evaluate((el) => (el.closest('.react-flow__node') as HTMLElement).style.transform)).toBe(placed);
  });
});

test.describe('canvas edits become minimal YAML edits', () => {
  test('changing a weight in the route inspector changes only those numbers; a comment above survives; Ctrl+Z on the canvas undoes it', async ({ page }) => {
    await openApp(page);
    const original = (await editorText(page)).replace('      weight: 90\n', '      # most traffic stays on v1\n      weight: 90\n');
    await pasteAll(page, original);
    await expect(page.getByRole('group', { name: /to Subset my-service\/v1: all traffic, 90%$/ })).toBeVisible();
    await page.locator('.edge-label', { hasText: '90%' }).click();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await expect(inspector).toContainText('Route “canary”');
    const v1 = inspector.getByRole('spinbutton', { name: 'Weight of my-service · v1' });
    await v1.fill('75');
    await expect(inspector.getByRole('spinbutton', { name: 'Weight of my-service · v2' })).toHaveValue('25');
    await v1.press('Enter');
    const expected = original.replace('weight: 90', 'weight: 75').replace('weight: 10', 'weight: 25');
    await expect.poll(() => editorText(page)).toBe(expected);
    expect(expected).toContain('      # most traffic stays on v1\n      weight: 75\n');
    await expect(page.getByRole('status', { name: 'Last edit' })).toHaveText('Set weights v1 75%, v2 25% in rule "canary" of VirtualService default/my-service');
    await expect(page.getByRole('group', { name: /to Subset my-service\/v1: all traffic, 75%$/ })).toBeVisible();

    // One canvas gesture is one undo step, from the canvas too.
    await page.getByRole('region', { name: 'Canvas' }).click({ position: { x: 8, y: 8 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => editorText(page)).toBe(original);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => editorText(page)).toBe(expected);
  });
});
