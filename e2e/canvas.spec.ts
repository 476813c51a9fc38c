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

  test('a fitted view keeps every node clear of the palette, with the drawer open or closed', async ({ page }) => {
    await openApp(page);
    const palette = page.getByLabel('Palette', { exact: true });
    // Boxes of nodes that overlap the palette, once the view has settled.
    const hidden = async () => {
      const p = (await palette.boundingBox())!;
      const boxes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('aria-label'), ...e.getBoundingClientRect().toJSON() })));
      return boxes.filter((b) => b.x < p.x + p.width && b.x + b.width > p.x && b.y < p.y + p.height && b.y + b.height > p.y).map((b) => b.name);
    };
    await expect(node(page, 'Service default/my-service')).toBeVisible();
    await page.getByRole('button', { name: 'Simulate load' }).click();
    await expect(page.getByRole('region', { name: 'Simulation' })).toBeVisible();
    await expect.poll(hidden, { timeout: 5_000 }).toEqual([]);
    await page.getByRole('button', { name: 'Close panel' }).click();
    await page.getByRole('button', { name: 'Fit view' }).click();
    await expect.poll(hidden, { timeout: 5_000 }).toEqual([]);
    expect(await page.locator('.react-flow__node').count()).toBeGreaterThan(5);
  });
});
