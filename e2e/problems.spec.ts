import { expect, test } from '@playwright/test';
import { cursorAt, editorText, lineOf, markers, openApp, pasteAll } from './app';

test.describe('the analyzer in the editor, the Problems panel and on the canvas', () => {
  test('a route to a missing subset shows a marker, a Problems entry and a canvas badge', async ({ page }) => {
    await openApp(page);
    const text = await editorText(page);
    const line = lineOf(text, '        subset: v2'); // the jason-sees-v2 rule's destination
    await cursorAt(page, line);
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.insertText('v9');

    await expect
      .poll(async () => (await markers(page)).filter((m) => m.owner === 'meshcraft' && m.line === line).map((m) => m.message))
      .toContainEqual(expect.stringMatching(/^IST0101 ReferencedResourceNotFound: .*v9/));
    const badge = page.getByRole('img', { name: /^1 error: IST0101: .*v9/ });
    await expect(badge).toBeVisible();

    await page.getByRole('button', { name: /^Problems: 1 errors/ }).click();
    const list = page.getByRole('list', { name: 'Problems' });
    await expect(list.getByRole('listitem')).toHaveCount(1);
    await expect(list).toContainText('IST0101');
    await expect(list).toContainText(`VirtualService default/my-service · line ${line}`);
    await page.screenshot({ path: 'test-results/screens/problems.png' });

    // Clicking the entry selects the route on the canvas.
    await list.getByRole('button', { name: /^Error IST0101/ }).click();
    await expect(page.getByRole('group', { name: /^Route Service default\/my-service to Subset my-service\/v9/ })).toHaveClass(/selected/);

    // The filter narrows by level.
    await page.getByRole('button', { name: 'Warnings 0' }).click();
    await expect(page.getByText('No warning problems.')).toBeVisible();
  });
});

test('the quick fix creates the missing subset and the problem disappears', async ({ page }) => {
  await openApp(page);
  const text = await editorText(page);
  // A DestinationRule that lacks the v2 subset the routes use.
  await pasteAll(page, text.replace('  - name: v2\n    labels:\n      version: v2\n', ''));
  await page.getByRole('button', { name: /^Problems: \d+ errors/ }).click();
  const list = page.getByRole('list', { name: 'Problems' });
  await expect(list).toContainText('IST0101');
  const fix = list.getByRole('button', { name: /^Fix: .*v2/ }).first();
  await fix.click();
  await expect(list).toHaveCount(0);
  await expect(page.getByText('No problems found')).toBeVisible();
  expect(await editorText(page)).toContain('  - name: v2\n    labels:\n      version: v2\n');
});
