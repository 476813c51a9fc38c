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
    await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `test-results/screens/example-${theme}.png` });
  });
}
