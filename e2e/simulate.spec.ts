import { expect, test } from '@playwright/test';
import { editorText, node, openApp } from './app';

test.describe('send a request and watch its path explained', () => {
  test('a request as user jason lights gateway → my-service → v2 and names the matching rule', async ({ page }) => {
    await openApp(page);
    await page.getByRole('button', { name: 'Simulate a request' }).click();
    const panel = page.getByRole('region', { name: 'Simulation' });
    await panel.getByLabel('Preset').selectOption({ label: 'my-service · jason-sees-v2 — end-user = jason (from internet)' });
    await expect(panel.getByLabel('Headers')).toHaveValue('end-user: jason');
    await panel.getByRole('button', { name: 'Send request' }).click();

    await expect(panel.getByRole('status', { name: 'Trace result' })).toContainText('200');
    await expect(panel.getByRole('status', { name: 'Trace result' })).toContainText('outbound|80|v2|my-service.default.svc.cluster.local');
    const explanation = panel.getByLabel('Explanation');
    await expect(explanation).toContainText('http[0].match[0] "jason-sees-v2" matches');
    for (const lit of ['Gateway default/shop-gateway', 'Service default/my-service', 'Subset my-service/v2']) await expect(node(page, lit)).toHaveClass(/is-lit/);
    await expect(node(page, 'Subset my-service/v1')).toHaveClass(/is-dim/);
    await page.screenshot({ path: 'test-results/screens/trace.png' });

    // A step reveals the YAML it came from.
    await explanation.getByRole('button', { name: /"jason-sees-v2" matches/ }).click();
    const selected = await page.evaluate(() => {
      const ed = (window as any).__meshcraftEditor.editor;
      return ed.getModel().getValueInRange(ed.getSelection());
    });
    expect(selected).toMatch(/^headers:\s+end-user:\s+exact: jason\s*$/);

    // Without the header, the same request falls through to the canary and the explanation says why.
    await panel.getByLabel('Headers').fill('');
    await panel.getByLabel('Path').fill('/v1');
    await panel.getByRole('button', { name: 'Send request' }).click();
    await expect(explanation).toContainText('does not match: header end-user is absent');
    await expect(node(page, 'Subset my-service/v1')).toHaveClass(/is-lit/);
  });

  test('a malformed header line is refused with a clear message; the form keeps what was typed across the drawer’s tabs', async ({ page }) => {
    await openApp(page);
    await page.getByRole('button', { name: 'Simulate a request' }).click();
    const panel = page.getByRole('region', { name: 'Simulation' });
    await panel.getByLabel('Headers').fill('no colon here');
    await panel.getByRole('button', { name: 'Send request' }).click();
    await expect(panel.getByRole('alert')).toHaveText('Header line 1 needs the form "name: value".');
    expect(await editorText(page)).toContain('kind: VirtualService');
    // What was typed survives a visit to another tab of the drawer.
    await panel.getByLabel('Path').fill('/typed');
    await page.getByRole('tab', { name: 'Run load' }).click();
    await page.getByRole('tab', { name: 'Send a request' }).click();
    await expect(panel.getByLabel('Headers')).toHaveValue('no colon here');
    await expect(panel.getByLabel('Path')).toHaveValue('/typed');
  });
});
