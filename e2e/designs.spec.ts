import { expect, test, type Page } from '@playwright/test';
import { editor, editorText, node, openApp, pasteAll, savedDesign } from './app';

const rename = (text: string, from: string, to: string) => text.replace(`name: ${from}`, `name: ${to}`).replace(`- ${from}\n  - mesh`, `- ${to}\n  - mesh`);

async function edit(page: Page, gateway: string, from = 'shop-gateway') {
  await expect(editor(page).locator('.monaco-editor')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => editorText(page).catch(() => '')).toContain(from);
  const text = rename(await editorText(page), from, gateway);
  await pasteAll(page, text);
  await expect(node(page, `Gateway default/${gateway}`)).toBeVisible();
  await expect.poll(() => savedDesign(page).then((d) => d.text)).toBe(text);
  return text;
}

test('a reload restores the design; a second tab works on a copy and does not clobber the first', async ({ page, context }) => {
  test.setTimeout(150_000);
  await openApp(page);
  await expect(page.getByRole('button', { name: 'Designs: Untitled design' })).toBeVisible();
  const first = await edit(page, 'first-gateway');
  await page.reload();
  await expect(node(page, 'Gateway default/first-gateway')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => editorText(page).catch(() => '')).toBe(first);
  await expect(page.getByRole('button', { name: 'Designs: Untitled design' })).toBeVisible();

  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByRole('button', { name: 'Designs: Untitled design (copy)' })).toBeVisible({ timeout: 15_000 });
  await expect(second.getByRole('status', { name: 'Notice' })).toContainText('open in other tabs: this tab works on a copy');
  await expect(node(second, 'Gateway default/first-gateway')).toBeVisible({ timeout: 15_000 });
  const copyText = await edit(second, 'second-gateway', 'first-gateway');

  // The first tab's design is still its own, in the tab and in storage.
  expect(await savedDesign(page).then((d) => d.text)).toBe(first);
  expect(await editorText(page)).toBe(first);
  await page.reload();
  await expect(node(page, 'Gateway default/first-gateway')).toBeVisible({ timeout: 15_000 });
  await second.reload();
  await expect(node(second, 'Gateway default/second-gateway')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => editorText(second).catch(() => '')).toBe(copyText);
});

test('the design switcher: new, rename, open and delete', async ({ page }) => {
  test.setTimeout(90_000);
  await openApp(page);
  const first = await edit(page, 'kept-gateway');
  await page.getByRole('button', { name: /^Designs: / }).click();
  const dialog = page.getByRole('dialog', { name: 'Designs' });
  await dialog.getByRole('button', { name: 'Rename Untitled design' }).click();
  await dialog.getByRole('textbox', { name: 'New name' }).fill('Shop mesh');
  await dialog.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('button', { name: 'Designs: Shop mesh' })).toBeVisible();

  await dialog.getByRole('button', { name: 'New design' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Designs: Untitled design' })).toBeVisible();
  await expect.poll(() => editorText(page)).toBe('');
  // Undo does not bring the other design's text back into this one.
  await page.getByRole('button', { name: 'Undo' }).click();
  expect(await editorText(page)).toBe('');

  await page.getByRole('button', { name: /^Designs: / }).click();
  await expect(dialog.getByRole('listitem')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/screens/designs-light.png' });
  await dialog.getByRole('button', { name: 'Open Shop mesh' }).click();
  await expect(page.getByRole('button', { name: 'Designs: Shop mesh' })).toBeVisible();
  await expect.poll(() => editorText(page)).toBe(first);

  await page.getByRole('button', { name: /^Designs: / }).click();
  await expect(dialog.getByRole('button', { name: 'Delete Shop mesh' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Delete Untitled design' }).click();
  await dialog.getByRole('button', { name: 'Confirm deleting Untitled design' }).click();
  await expect(dialog.getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Switch to dark theme' }).evaluate((b: HTMLElement) => b.click());
  await page.screenshot({ path: 'test-results/screens/designs-dark.png' });
});

test('the first-run hint shows once and stays dismissed', async ({ page }) => {
  await openApp(page);
  const hint = page.getByRole('complementary', { name: 'Welcome' });
  await expect(hint).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/first-run.png' });
  await hint.getByRole('button', { name: 'Got it' }).click();
  await expect(hint).toBeHidden();
  await page.reload();
  await expect(node(page, 'Service default/my-service')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: /^Designs: Untitled design$/ })).toBeVisible();
  await expect(hint).toBeHidden();
});

test('a design saved by the one-design version is migrated once, and the old key is no longer written', async ({ page }) => {
  test.setTimeout(90_000);
  await openApp(page);
  const legacy = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: legacy\n  namespace: default\nspec:\n  ports:\n  - port: 80\n';
  // The browser as the one-design version left it: only `design:current`.
  await page.evaluate(
    (text) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('meshcraft');
        req.onsuccess = () => {
          const tx = req.result.transaction('designs', 'readwrite');
          const designs = tx.objectStore('designs');
          designs.clear();
          designs.put({ version: 1, text, manual: {}, savedAt: 1 }, 'design:current');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    legacy,
  );
  const keys = () =>
    page.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          const req = indexedDB.open('meshcraft');
          req.onsuccess = () => {
            const all = req.result.transaction('designs').objectStore('designs').getAllKeys();
            all.onsuccess = () => resolve((all.result as string[]).map((k) => (k.startsWith('design:') && k !== 'design:current' ? 'design:<id>' : k)));
          };
        }),
    );
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await expect(node(page, 'Service default/legacy')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Designs: My design' })).toBeVisible();
  await expect.poll(() => editorText(page).catch(() => '')).toBe(legacy);
  await expect.poll(keys).toEqual(['design:<id>']);
  // Edits are saved under the design's own key only.
  const edited = legacy.replace('name: legacy', 'name: migrated');
  await pasteAll(page, edited);
  await expect.poll(() => savedDesign(page).then((d) => d.text)).toBe(edited);
  expect(await keys()).toEqual(['design:<id>']);
});
