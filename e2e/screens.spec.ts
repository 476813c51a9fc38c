/**
 * Screenshots of each screen, in both themes, for people to look at (test-results/screens/). Each also checks
 * what must be on screen, so the pictures show a working app.
 */
import { expect, test } from '@playwright/test';
import { node, openApp } from './app';

for (const theme of ['light', 'dark'] as const) {
  test(`example mesh, ${theme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await openApp(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(node(page, 'Subset my-service/v1')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled({ timeout: 15_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `test-results/screens/example-${theme}.png` });
  });
}

for (const theme of ['light', 'dark'] as const) {
  test(`designer: palette, add form, connect dialog and context menu, ${theme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await openApp(page);
    await page.getByRole('button', { name: 'Add Service' }).click();
    await expect(page.getByRole('dialog', { name: /New service/ })).toBeVisible();
    await page.screenshot({ path: `test-results/screens/designer-add-${theme}.png` });
    await page.keyboard.press('Escape');
    await node(page, 'Service default/my-service').click({ button: 'right', position: { x: 30, y: 20 } }); // on the card, not the routes inside the group
    await expect(page.getByRole('menu', { name: 'Service default/my-service' })).toBeVisible();
    await page.screenshot({ path: `test-results/screens/designer-menu-${theme}.png` });
  });
}
