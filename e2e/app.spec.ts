import { expect, test } from '@playwright/test';
import { staleBanner, cursorAt, editor, editorText, lineOf, markers, node, openApp, pasteAll, typeLines } from './app';

test.describe('the app with the example mesh', () => {
  test('loads the example: every concept of the primer is on the canvas', async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await openApp(page);
    for (const name of [
      'Gateway default/shop-gateway',
      'Service default/my-service',
      'Subset my-service/v1',
      'Subset my-service/v2',
      'Gateway default/istio-egressgateway',
      'ServiceEntry default/payment-api',
      'Deployment default/checkout',
    ]) {
      await expect(node(page, name), name).toBeVisible();
    }
    await expect(page.getByRole('group', { name: /^Route Service default\/my-service to Subset my-service\/v1: all traffic, 90%$/ })).toBeVisible();
    await expect(page.getByRole('group', { name: /^Route Service default\/my-service to Subset my-service\/v2: all traffic, 10%$/ })).toBeVisible();
    await expect(page.getByRole('group', { name: /^Route Service default\/my-service to Subset my-service\/v1: uri \^ \/test\/fault$/ })).toBeVisible();
    await expect(editor(page)).toBeVisible();
    await expect(page.getByRole('status', { name: 'Design status' })).toContainText('0 errors');
    expect(errors).toEqual([]);
  });

  test('makes no request off localhost', async ({ page }) => {
    const offsite: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) offsite.push(r.url());
    });
    await openApp(page);
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await node(page, 'Service default/my-service').locator('.mesh-node').first().click();
    await page.waitForTimeout(500);
    expect(offsite).toEqual([]);
  });

  test('typing a new VirtualService route adds an edge', async ({ page }) => {
    await openApp(page);
    const route = page.getByRole('group', { name: /^Route Service default\/my-service to Subset my-service\/v2: uri \^ \/beta$/ });
    await expect(route).toHaveCount(0);
    const text = await editorText(page);
    // Insert a new rule before the canary rule.
    await cursorAt(page, lineOf(text, '  - name: canary') - 1);
    await typeLines(page, ['', '  - name: beta', '    match:', '    - uri:', '        prefix: /beta', '    route:', '    - destination:', '        host: my-service', '        subset: v2']);
    await expect(route).toBeVisible();
    expect(await editorText(page)).toContain('  - name: beta\n    match:\n    - uri:\n        prefix: /beta\n');
  });

  test('a syntax error shows a marker and leaves the canvas intact', async ({ page }) => {
    await openApp(page);
    const text = await editorText(page);
    const line = lineOf(text, '  hosts:\n  - my-service');
    await cursorAt(page, line);
    await page.keyboard.insertText(' [unclosed');
    await expect(staleBanner(page)).toBeVisible();
    // The parser reports the unclosed flow sequence where it notices it: on that line or the next.
    await expect.poll(async () => (await markers(page)).some((m) => m.owner === 'meshcraft' && m.severity === 8 && (m.line === line || m.line === line + 1))).toBe(true);
    await expect(node(page, 'Service default/my-service')).toBeVisible();
    await expect(node(page, 'Subset my-service/v2')).toBeVisible();
    // Undo the damage: the canvas is current again.
    await page.keyboard.press('Control+z');
    await expect(staleBanner(page)).toHaveCount(0);
  });

  test('a schema error (weight: abc) shows a marker at its line', async ({ page }) => {
    await openApp(page);
    const text = await editorText(page);
    const line = lineOf(text, '      weight: 90');
    await cursorAt(page, line);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText('abc');
    expect(await editorText(page)).toContain('      weight: abc\n');
    await expect
      .poll(async () => (await markers(page)).filter((m) => m.owner === 'meshcraft' && m.line === line).map((m) => m.message))
      .toContainEqual(expect.stringContaining('must be integer'));
    await expect(page.getByRole('status', { name: 'Design status' })).toContainText('1 error');
  });

  test('the editor completes and explains fields from the Istio schema', async ({ page }) => {
    await openApp(page);
    const text = await editorText(page);
    const hosts = lineOf(text, 'kind: VirtualService\nmetadata:\n  name: my-service\n  namespace: default\nspec:\n  hosts:') + 5;
    // Hover: the schema's description of VirtualService.spec.hosts.
    await cursorAt(page, hosts, 4);
    await page.evaluate(() => (window as any).__meshcraftEditor.editor.trigger('test', 'editor.action.showHover', {}));
    await expect(page.locator('.monaco-hover').filter({ hasText: 'The destination hosts to which traffic is being sent' })).toBeVisible();
    await page.keyboard.press('Escape');
    // Completion: a new key under spec offers the VirtualService's own fields.
    await cursorAt(page, hosts - 1);
    await page.keyboard.press('Enter');
    await page.keyboard.insertText('expo');
    await page.keyboard.press('Control+Space');
    await expect(page.locator('.suggest-widget').getByRole('option', { name: /exportTo/ })).toBeVisible();
  });

  test('clicking a node reveals its YAML', async ({ page }) => {
    await openApp(page);
    await node(page, 'Subset my-service/v2').click();
    const selected = await page.evaluate(() => {
      const ed = (window as any).__meshcraftEditor.editor;
      return ed.getModel().getValueInRange(ed.getSelection());
    });
    expect(selected).toMatch(/^name: v2\s+labels:\s+version: v2\s*$/);
  });
});

test.describe('bad input never freezes the page or wipes the canvas', () => {
  const cases: [string, () => string, RegExp][] = [
    ['a 5 MB paste', () => ('# filler\n' + 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n---\n'.repeat(1)).padEnd(5 * 1024 * 1024, '#'), /5\.0 MB/],
    ['a YAML alias bomb', () => 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  a: &a ["x","x","x","x","x","x","x","x","x"]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n', /alias/i],
    ['a document that is not a mapping', () => '- just\n- a list\n', /not a mapping/],
    ['a resource without kind', () => 'apiVersion: v1\nmetadata:\n  name: nokind\n', /has no kind/],
  ];
  for (const [what, make, message] of cases) {
    test(what, async ({ page }) => {
      await openApp(page);
      await pasteAll(page, make());
      await expect(page.getByRole('status', { name: 'Design status' })).toContainText(message, { timeout: 15_000 });
      // The page still answers and the canvas was not wiped.
      await expect(node(page, 'Service default/my-service')).toBeVisible();
      await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
      await expect(page.getByRole('button', { name: /Switch to (dark|light) theme/ })).toBeVisible();
    });
  }
});
