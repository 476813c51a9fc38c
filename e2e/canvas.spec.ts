import { expect, test } from '@playwright/test';
import { node, openApp } from './app';

test.describe('canvas tools', () => {
  test('find a node with /, legend with L, shortcuts with ?', async ({ page }) => {
    await openApp(page);
    await page.getByRole('region', { name: 'Canvas' }).click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    const find = page.getByRole('combobox', { name: 'Find a node' });
    await expect(find).toBeFocused();
    await find.fill('payment');
    await expect(page.getByRole('option')).toHaveText(['ServiceEntry default/payment-api']);
    await page.keyboard.press('Enter');
    await expect(node(page, 'ServiceEntry default/payment-api')).toHaveClass(/selected/);
    await expect(find).toHaveCount(0);

    await page.keyboard.press('l');
    const legend = page.getByLabel('Legend', { exact: true });
    await expect(legend).toContainText('External service (ServiceEntry)');
    await expect(legend).toContainText('Fault injection');
    await page.getByRole('button', { name: 'Close legend' }).click();
    await expect(legend).toHaveCount(0);

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toContainText('Fit the whole mesh in view');
    await page.keyboard.press('Escape');
    await expect(help).toHaveCount(0);
  });

  test('zoomed out, route labels give way to shapes (level of detail)', async ({ page }) => {
    await openApp(page);
    const label = page.locator('.edge-label').first();
    await expect(label).toBeVisible();
    for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Zoom Out' }).click();
    await expect(label).toBeHidden();
    await expect(node(page, 'Service default/my-service')).toBeVisible();
    await page.keyboard.press('f');
    await expect(label).toBeVisible();
  });
});
