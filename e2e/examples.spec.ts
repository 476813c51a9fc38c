import { readdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { editorText, openApp, pasteAll } from './app';

const dir = new URL('../src/examples/', import.meta.url);
const exampleTexts = new Set(readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(new URL(f, dir), 'utf8')));

async function openGallery(page: Page) {
  await page.getByRole('button', { name: 'Example', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Examples…' }).click();
  return page.getByRole('dialog', { name: 'Examples' });
}

test('every example in the gallery opens, with its explanation, and the analyzer finds no errors', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  const gallery = await openGallery(page);
  const cards = gallery.getByRole('button', { name: /^Open example: / });
  const count = await cards.count();
  expect(count).toBe(exampleTexts.size);
  await page.keyboard.press('Escape');
  const problems = page.getByRole('button', { name: /^Problems: / });
  const broken = (await editorText(page)).replace('subset: v2', 'subset: v9');
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    // Start from a design with one error: its disappearing proves the example itself was analysed.
    await pasteAll(page, broken);
    await expect(problems).toHaveAttribute('aria-label', /^Problems: 1 errors/);
    const dialog = await openGallery(page);
    const card = dialog.getByRole('button', { name: /^Open example: / }).nth(i);
    const title = (await card.getAttribute('aria-label'))!.replace('Open example: ', '');
    await card.click();
    await expect(dialog).toBeHidden();
    const note = page.getByRole('complementary', { name: 'About this example' });
    await expect(note).toContainText(title);
    await expect.poll(() => editorText(page)).not.toBe('');
    const text = await editorText(page);
    expect(exampleTexts.has(text), `${title}: the editor shows the example's YAML`).toBe(true);
    seen.add(text);
    const docs = text.split(/^---$/m).filter((d) => /^kind:/m.test(d)).length;
    await expect(page.getByRole('status', { name: 'Design status' })).toContainText(`${docs} resources`);
    await expect(problems, title).toHaveAttribute('aria-label', /^Problems: 0 errors, 0 warnings/);
  }
  expect(seen.size).toBe(count);
});

test("an example's suggested request fills the request form, is sent, and reaches the intended version", async ({ page }) => {
  await openApp(page);
  const gallery = await openGallery(page);
  await gallery.getByRole('button', { name: 'Open example: URI routing /v1 and /v2' }).click();
  const note = page.getByRole('complementary', { name: 'About this example' });
  await expect(note).toContainText('GET my-service/v2 from client');
  await page.screenshot({ path: 'test-results/screens/example-note.png' });
  await note.getByRole('button', { name: 'Send this request' }).click();
  const panel = page.getByRole('region', { name: 'Simulation' });
  const form = panel.getByRole('form', { name: 'Request' });
  await expect(form.getByRole('combobox', { name: 'Source' })).toHaveValue('wl:default/client');
  await expect(form.getByRole('combobox', { name: 'Method' })).toHaveValue('GET');
  await expect(form.getByRole('textbox', { name: 'Host' })).toHaveValue('my-service');
  await expect(form.getByRole('textbox', { name: 'Path' })).toHaveValue('/v2');
  await expect(form.getByRole('textbox', { name: 'Headers' })).toHaveValue('');
  await expect(panel.getByRole('status', { name: 'Trace result' })).toContainText('200');
  await expect(panel.getByRole('status', { name: 'Trace result' })).toContainText('outbound|80|v2|my-service.default.svc.cluster.local');

  // Another example's request replaces it, headers and all, with the panel already open.
  await page.getByRole('button', { name: 'Example', exact: true }).click();
  await page.getByRole('menuitem', { name: 'The primer in one design' }).click();
  await expect(note).toContainText('The primer in one design');
  await note.getByRole('button', { name: 'Send this request' }).click();
  await expect(form.getByRole('combobox', { name: 'Source' })).toHaveValue('gw:istio-system/istio-ingressgateway');
  await expect(form.getByRole('textbox', { name: 'Host' })).toHaveValue('shop.example.com');
  await expect(form.getByRole('textbox', { name: 'Path' })).toHaveValue('/');
  await expect(form.getByRole('textbox', { name: 'Headers' })).toHaveValue('end-user: jason');
  await expect(panel.getByRole('status', { name: 'Trace result' })).toContainText('outbound|80|v2|my-service.default.svc.cluster.local');
  await page.screenshot({ path: 'test-results/screens/example-request-filled.png' });
});

for (const theme of ['light', 'dark'] as const) {
  test(`gallery screenshot (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await openApp(page);
    await openGallery(page);
    await page.screenshot({ path: `test-results/screens/examples-${theme}.png` });
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Examples' })).toBeHidden();
  });
}
