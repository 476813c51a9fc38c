import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { expect, test, type Page } from '@playwright/test';
import { encodeDesign, toBase64Url } from '../src/share/codec';
import { editor, editorText, node, openApp, pasteAll } from './app';

/** The editor's text once the editor is there ('' before). */
const textOf = (page: Page) => page.evaluate(() => ((window as any).__meshcraftEditor?.editor.getValue() as string | undefined) ?? '');
const notice = (page: Page) => page.getByRole('alert', { name: 'Notice' });

/** A design of our own, so that "unchanged" cannot be confused with the example loaded at start. */
async function makeOwnDesign(page: Page): Promise<string> {
  const text = (await editorText(page)).replace('name: shop-gateway', 'name: café-gateway').replace('shop-gateway\n  - mesh', 'café-gateway\n  - mesh') + '# ünïcode ✓ <b>not html</b>\n';
  await pasteAll(page, text);
  await expect(node(page, 'Gateway default/café-gateway')).toBeVisible();
  return text;
}

test('a share link opened in a fresh browser context shows the same design, YAML identical', async ({ page, browser, context }) => {
  test.setTimeout(60_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page);
  const text = await makeOwnDesign(page);
  // Move a node by hand: its place travels with the link (view state).
  await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled({ timeout: 15_000 });
  const gateway = node(page, 'Gateway default/café-gateway');
  const box = (await gateway.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 140, { steps: 8 });
  await page.mouse.up();
  const placed = await gateway.evaluate((el) => (el.closest('.react-flow__node') as HTMLElement).style.transform);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this design' });
  await expect(dialog.getByRole('checkbox', { name: /Include where I placed nodes \(1 moved\)/ })).toBeChecked();
  await expect(dialog.getByRole('status', { name: 'Copy status' })).toHaveText('Copied to the clipboard.');
  const link = await dialog.getByRole('textbox', { name: 'Share link' }).inputValue();
  expect(link).toMatch(/#d=v1\.[A-Za-z0-9_-]+$/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await page.screenshot({ path: 'test-results/screens/share-copied.png' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(node(other, 'Gateway default/café-gateway')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => textOf(other), { timeout: 15_000 }).toBe(text);
  await expect.poll(() => node(other, 'Gateway default/café-gateway').evaluate((el) => (el.closest('.react-flow__node') as HTMLElement).style.transform)).toBe(placed);
  await expect(other.getByRole('status', { name: 'Notice' })).toContainText('Opened the design from the share link');
  expect(new URL(other.url()).hash).toBe(''); // the link is consumed: a reload shows the saved design, not the link again
  await fresh.close();
});

test('a tampered link is rejected with a message and the current design is untouched', async ({ page }) => {
  await openApp(page);
  const text = await makeOwnDesign(page);
  const good = encodeDesign({ text: 'apiVersion: v1\nkind: Service\nmetadata: {name: other}\n'.repeat(3) });
  const mid = good.length >> 1;
  const tampered = good.slice(0, mid) + (good[mid] === 'Q' ? 'R' : 'Q') + good.slice(mid + 1, good.length - 6);
  await page.evaluate((h) => (location.hash = h), `#d=${tampered}`);
  await expect(notice(page)).toContainText('Share link not opened: This link is damaged');
  await expect(notice(page)).toContainText('Your current design is unchanged.');
  expect(await editorText(page)).toBe(text);

  // Broken compression.
  await notice(page).getByRole('button', { name: 'Dismiss the notice' }).click();
  await page.evaluate((h) => (location.hash = h), `#d=v1.${toBase64Url(new Uint8Array([7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]))}`);
  await expect(notice(page)).toContainText('This link is damaged');
  expect(await editorText(page)).toBe(text);
});

test('a link with a 10 MB design, and one from a newer Meshcraft, are rejected clearly on opening', async ({ page }) => {
  const doc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: big\nspec:\n  ports:\n  - port: 80\n---\n';
  const huge = encodeDesign({ text: doc.repeat(Math.ceil((10 * 1024 * 1024) / doc.length)) });
  expect(huge.length).toBeLessThan(200_000);
  await page.goto(`/#d=${huge}`);
  await expect(notice(page)).toContainText('larger than 2 MB');
  await expect(node(page, 'Service default/my-service')).toBeVisible(); // the design shown before is still there
  expect(await editorText(page)).not.toContain('name: big');

  await page.goto('/#d=v7.eNpLyy9KLUpNzFEoSS0u0QUAJUIFTw');
  await expect(notice(page)).toContainText('made by a newer Meshcraft');
  await expect(node(page, 'Service default/my-service')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/share-rejected.png' });

  // The same links pasted into the address bar over a design of one's own leave it exactly as it was.
  await expect(editor(page).locator('.monaco-editor')).toBeVisible({ timeout: 15_000 });
  const text = await makeOwnDesign(page);
  for (const [hash, message] of [
    [`#d=${huge}`, 'larger than 2 MB'],
    ['#d=v7.eNpLyy9KLUpNzFEoSS0u0QUAJUIFTw', 'made by a newer Meshcraft'],
  ]) {
    await page.evaluate((h) => (location.hash = h), hash);
    await expect(notice(page)).toContainText(message);
    await expect(notice(page)).toContainText('Your current design is unchanged.');
    expect(await editorText(page)).toBe(text);
    await expect(node(page, 'Gateway default/café-gateway')).toBeVisible();
    await notice(page).getByRole('button', { name: 'Dismiss the notice' }).click();
  }
});

test('a link whose text is not a design is refused; markup in a design is only ever YAML text', async ({ page }) => {
  await openApp(page);
  let alerts = 0;
  page.on('dialog', (d) => {
    alerts++;
    void d.dismiss();
  });
  await page.evaluate((h) => (location.hash = h), `#d=${encodeDesign({ text: '<script>alert(1)</script><img src=x onerror=alert(2)>' })}`);
  await expect(notice(page)).toContainText('holds no Kubernetes or Istio resources');
  const markup = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: xss\n  annotations: {note: "<img src=x onerror=alert(3)>"}\n# <script>alert(4)</script>\n';
  await page.evaluate((h) => (location.hash = h), `#d=${encodeDesign({ text: markup })}`);
  await expect.poll(() => textOf(page)).toBe(markup);
  await expect(node(page, 'Service default/xss')).toBeVisible();
  expect(alerts).toBe(0);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
});

test('open from URL loads a raw YAML file and explains a failure', async ({ page }) => {
  await openApp(page);
  const yaml = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: fetched\nspec:\n  ports:\n  - port: 80\n';
  await page.route('https://designs.example/ok.yaml', (r) => r.fulfill({ status: 200, contentType: 'text/plain', body: yaml, headers: { 'access-control-allow-origin': '*' } }));
  await page.route('https://designs.example/page', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<html></html>', headers: { 'access-control-allow-origin': '*' } }));
  await page.getByRole('button', { name: 'Open from URL…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open from URL' });
  await dialog.getByRole('textbox', { name: 'Address of a YAML file' }).fill('https://designs.example/page');
  await dialog.getByRole('button', { name: 'Open' }).click();
  await expect(dialog.getByRole('alert')).toContainText('returns a web page, not YAML');
  await page.screenshot({ path: 'test-results/screens/open-url.png' });
  await dialog.getByRole('textbox', { name: 'Address of a YAML file' }).fill('https://designs.example/ok.yaml');
  await dialog.getByRole('button', { name: 'Open' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => textOf(page)).toBe(yaml);
});

test('exports: PNG and SVG images of the whole canvas, a zip with one file per resource', async ({ page }) => {
  test.setTimeout(60_000);
  await openApp(page);
  await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled({ timeout: 15_000 }); // the picture of the laid-out mesh
  const exportAs = async (name: string) => {
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name }).click()]);
    const path = await download.path();
    return { name: download.suggestedFilename(), bytes: readFileSync(path) };
  };
  const png = await exportAs('Export the canvas as a PNG image');
  expect(png.name).toBe('meshcraft-design.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = png.bytes.readUInt32BE(16);
  const height = png.bytes.readUInt32BE(20);
  expect(width).toBeGreaterThan(600);
  expect(height).toBeGreaterThan(200);
  mkdirSync('test-results/screens', { recursive: true });
  writeFileSync('test-results/screens/export.png', png.bytes);
  await page.screenshot({ path: 'test-results/screens/export-page.png' });

  const svg = await exportAs('Export the canvas as an SVG image');
  expect(svg.name).toBe('meshcraft-design.svg');
  const svgText = svg.bytes.toString('utf8');
  expect(svgText.startsWith('<svg')).toBe(true);
  expect(svgText).toContain('my-service');
  expect(svgText).toContain('shop-gateway');
  expect(svgText).not.toContain('dot-grid'); // the canvas's grid is not part of the picture

  const zip = await exportAs('Export as a zip with one file per resource');
  expect(zip.name).toBe('meshcraft-design.zip');
  const files = unzipSync(new Uint8Array(zip.bytes));
  expect(Object.keys(files)).toContain('virtualservice-default-my-service.yaml');
  expect(Object.keys(files)).toHaveLength(12);

  const yaml = await exportAs('Export as one YAML file');
  expect(yaml.bytes.toString('utf8')).toBe(await editorText(page));
});

for (const theme of ['light', 'dark'] as const) {
  test(`screenshots of the export menu and the share dialog (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await openApp(page);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const menu = page.getByRole('menu', { name: 'Export' });
    await expect(menu.getByRole('menuitem')).toHaveCount(4);
    await expect(menu.getByRole('menuitem').first()).toBeFocused();
    await page.screenshot({ path: `test-results/screens/export-menu-${theme}.png` });
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Share this design' });
    await expect(dialog.getByRole('textbox', { name: 'Share link' })).toHaveValue(/#d=v1\./);
    await page.screenshot({ path: `test-results/screens/share-${theme}.png` });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });
}
