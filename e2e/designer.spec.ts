/** The canvas designer, mouse first: palette, connect gestures, delete — the YAML follows. */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { editorText, node, openApp, pasteAll } from './app';

/** A box that has stopped moving (the view may still be animating to a new element). */
async function settled(l: Locator) {
  let last = await l.boundingBox();
  for (;;) {
    await l.page().waitForTimeout(120);
    const box = await l.boundingBox();
    if (box && last && box.x === last.x && box.y === last.y && box.width === last.width) return box;
    last = box;
  }
}

/** Drag from a node's outgoing handle to another node's incoming handle. */
async function connect(page: Page, from: string, to: string) {
  // Clear the selection (the inspector closes) and fit the design in view, as a user would before a long drag.
  await page.locator('.react-flow__pane').click({ position: { x: 250, y: 15 } });
  await page.locator('.react-flow__controls-fitview').click();
  const source = node(page, from).locator('.react-flow__handle.source').last();
  const target = node(page, to).locator('.react-flow__handle.target').first();
  const a = await settled(source);
  const b = await settled(target);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 4 });
  await page.mouse.up();
}

async function add(page: Page, item: string, fields: Record<string, string> = {}) {
  await page.getByRole('button', { name: `Add ${item}` }).click();
  const dialog = page.getByRole('dialog');
  for (const [label, value] of Object.entries(fields)) await dialog.getByLabel(label, { exact: true }).fill(value);
  await dialog.getByRole('button', { name: /^Add / }).click();
  await expect(dialog).toBeHidden();
}

test.describe.configure({ timeout: 60_000 });

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await pasteAll(page, '');
  await expect(page.getByRole('group', { name: /^Service / })).toHaveCount(0);
});

test('palette: each element adds its complete resources; dragging places it where dropped', async ({ page }) => {
  await add(page, 'Ingress gateway', { Name: 'shop-gateway', Hosts: 'shop.example.com' });
  await expect(node(page, 'Gateway default/shop-gateway')).toBeVisible();
  // Drag a service from the palette onto the canvas.
  const pane = page.locator('.react-flow__pane');
  const box = (await pane.boundingBox())!;
  // Where the drop lands in the canvas's own coordinates (the view may pan afterwards to keep the selection in sight).
  const dropAt = await page.evaluate(([x, y]) => (window as any).__meshcraftFlow.screenToFlowPosition({ x, y }), [box.x + box.width * 0.6, box.y + box.height * 0.5]);
  await page.getByRole('button', { name: 'Add Service' }).dragTo(pane, { targetPosition: { x: box.width * 0.6, y: box.height * 0.5 } });
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('my-service');
  await dialog.getByLabel('Versions', { exact: true }).fill('v1, v2');
  await dialog.getByRole('button', { name: 'Add service' }).click();
  await expect(node(page, 'Subset my-service/v2')).toBeVisible();
  const at = await page.evaluate(() => (window as any).__meshcraftFlow.getNode('svc:my-service.default.svc.cluster.local').position);
  expect(Math.abs(at.x - dropAt.x) + Math.abs(at.y - dropAt.y)).toBeLessThan(2);
  await add(page, 'External service', { Name: 'payment-api', Host: 'api.payments.example' });
  await add(page, 'Client', { Name: 'checkout' });
  await add(page, 'Egress gateway', { Name: 'egress' });
  const text = await editorText(page);
  for (const doc of ['kind: Gateway', 'name: shop-gateway', 'istio: ingressgateway', 'kind: Service', 'name: my-service-v1', 'name: my-service-v2', 'kind: DestinationRule', 'kind: ServiceEntry', 'host', 'name: checkout', 'istio: egressgateway'])
    expect(text).toContain(doc);
  // A name that is taken is refused in the form, with the reason.
  await page.getByRole('button', { name: 'Add Client' }).click();
  await page.getByRole('dialog').getByLabel('Name', { exact: true }).fill('checkout');
  await page.getByRole('dialog').getByRole('button', { name: 'Add client' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText('Deployment default/checkout already exists');
});

test('connect: gateway → two subsets makes a 50/50 split; Delete removes a node and Ctrl+Z brings it back', async ({ page }) => {
  await add(page, 'Ingress gateway', { Name: 'shop-gateway', Hosts: 'shop.example.com' });
  await add(page, 'Service', { Name: 'my-service', Versions: 'v1, v2' });
  await connect(page, 'Gateway default/shop-gateway', 'Subset my-service/v1');
  await expect(page.getByRole('group', { name: /^Route Gateway default\/shop-gateway to Subset my-service\/v1/ })).toBeVisible();
  await connect(page, 'Gateway default/shop-gateway', 'Subset my-service/v2');
  await expect(page.getByRole('group', { name: 'Route Gateway default/shop-gateway to Subset my-service/v2: all traffic, 50%' })).toBeVisible();
  const text = await editorText(page);
  expect(text).toMatch(/gateways:\n\s+- shop-gateway/);
  expect(text).toMatch(/subset: v1\n\s+weight: 50/);

  await add(page, 'Client', { Name: 'checkout' });
  await node(page, 'Deployment default/checkout').click();
  await page.keyboard.press('Delete');
  await expect(node(page, 'Deployment default/checkout')).toHaveCount(0);
  expect(await editorText(page)).not.toContain('name: checkout');
  await page.keyboard.press('Control+z');
  await expect(node(page, 'Deployment default/checkout')).toBeVisible();
});

test('egress: client → external service through the egress gateway, with TLS origination, in one gesture', async ({ page }) => {
  await add(page, 'External service', { Name: 'payment-api', Host: 'api.payments.example' });
  await add(page, 'Client', { Name: 'checkout' });
  await connect(page, 'Deployment default/checkout', 'ServiceEntry default/payment-api');
  const dialog = page.getByRole('dialog', { name: 'Connect checkout → payment-api' });
  await dialog.getByLabel('Originate TLS at the egress gateway', { exact: false }).check();
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('group', { name: /^Route Deployment default\/checkout to Gateway default\/istio-egressgateway/ })).toBeAttached();
  await expect(page.getByRole('group', { name: /^Route Gateway default\/istio-egressgateway to ServiceEntry default\/payment-api/ })).toBeAttached(); // a straight edge has no height: attached, not 'visible'
  const text = await editorText(page);
  expect(text).toContain('name: payment-api-through-egress-gateway');
  expect(text).toContain('mode: SIMPLE');
  // The analyzer is happy with the result.
  await expect(page.getByRole('button', { name: /problems/i })).not.toContainText(/[1-9]\d* errors?/);
  await page.screenshot({ path: 'test-results/screens/designer-egress.png' });
});

test('context menu: duplicate a service (a renamed twin with its own pods), then delete it from the menu', async ({ page }) => {
  await add(page, 'Service', { Name: 'cart', Versions: 'v1' });
  await node(page, 'Service default/cart').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Service default/cart' });
  await menu.getByRole('menuitem', { name: /Duplicate/ }).click();
  await expect(node(page, 'Service default/cart-copy')).toBeVisible();
  const text = await editorText(page);
  expect(text).toContain('name: cart-v1-copy');
  expect(text).toMatch(/selector:\n\s+app: cart-copy/);
  await node(page, 'Service default/cart-copy').click({ button: 'right' });
  await page.getByRole('menu', { name: 'Service default/cart-copy' }).getByRole('menuitem', { name: /Delete/ }).click();
  await expect(node(page, 'Service default/cart-copy')).toHaveCount(0);
  await expect(node(page, 'Service default/cart')).toBeVisible();
});

test("mouse only, from an empty canvas: the primer's canary (gateway → my-service v1/v2 at 90/10, /v1 and /v2 routes, ISTIO_MUTUAL)", async ({ page }) => {
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await add(page, 'Ingress gateway', { Name: 'shop-gateway', Hosts: 'shop.example.com' });
  await add(page, 'Service', { Name: 'my-service', Versions: 'v1, v2' });
  await connect(page, 'Gateway default/shop-gateway', 'Subset my-service/v1');
  await expect(page.locator('.edge-label', { hasText: 'shop.example.com' }).or(page.getByRole('group', { name: /^Route Gateway default\/shop-gateway to Subset my-service\/v1/ })).first()).toBeAttached();
  await connect(page, 'Gateway default/shop-gateway', 'Subset my-service/v2');
  // 90/10 in the route inspector.
  await page.locator('.edge-label', { hasText: '50%' }).first().click();
  const v1 = inspector.getByRole('spinbutton', { name: 'Weight of my-service · v1' });
  await v1.fill('90');
  await v1.press('Enter');
  await expect(page.getByRole('group', { name: 'Route Gateway default/shop-gateway to Subset my-service/v2: all traffic, 10%' })).toBeAttached();
  // /v1 → v1 and /v2 → v2 as rules above the split.
  for (const [path, dest] of [['/v1', 'my-service · v1'], ['/v2', 'my-service · v2']]) {
    await inspector.getByRole('textbox', { name: 'New rule URI' }).fill(path);
    await inspector.getByRole('combobox', { name: 'New rule destination' }).selectOption({ label: dest });
    await inspector.getByRole('button', { name: 'Add rule' }).click();
    await expect(page.getByRole('group', { name: new RegExp(`to Subset ${dest.replace(' · ', '/')}: uri \\^ ${path}$`) })).toBeAttached();
  }
  // ISTIO_MUTUAL in the service inspector.
  await node(page, 'Service default/my-service').locator('.mesh-group-card').click();
  await inspector.getByRole('combobox', { name: 'TLS mode', exact: true }).selectOption('ISTIO_MUTUAL');
  await expect.poll(() => editorText(page)).toContain('mode: ISTIO_MUTUAL');

  // The YAML parses to exactly these resources, and the analyzer finds no error.
  const resources = () =>
    page.evaluate(() => (window as any).__meshcraftStore.getState().resources.map((r: any) => ({ key: r.key, spec: r.object.spec })) as { key: string; spec: any }[]);
  await expect.poll(async () => (await resources()).map((r) => r.key)).toEqual([
    'Gateway/default/shop-gateway', 'Service/default/my-service', 'Deployment/default/my-service-v1', 'Deployment/default/my-service-v2', 'DestinationRule/default/my-service', 'VirtualService/default/my-service',
  ]);
  const byKey = Object.fromEntries((await resources()).map((r) => [r.key, r.spec]));
  expect(byKey['DestinationRule/default/my-service']).toEqual({ host: 'my-service', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }], trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
  expect(byKey['VirtualService/default/my-service']).toEqual({
    hosts: ['shop.example.com'],
    gateways: ['shop-gateway'],
    http: [
      { match: [{ uri: { prefix: '/v1' } }], route: [{ destination: { host: 'my-service', subset: 'v1' } }] },
      { match: [{ uri: { prefix: '/v2' } }], route: [{ destination: { host: 'my-service', subset: 'v2' } }] },
      { route: [{ destination: { host: 'my-service', subset: 'v1' }, weight: 90 }, { destination: { host: 'my-service', subset: 'v2' }, weight: 10 }] },
    ],
  });
  await expect(page.getByRole('status').or(page.locator('.statusbar')).first()).toContainText('0 errors');
  await page.screenshot({ path: 'test-results/screens/designer-canary.png' });
});

test('collapse a namespace into one node from the context menu, expand it with a double-click', async ({ page }) => {
  await add(page, 'Service', { Name: 'cart', Versions: 'v1' });
  await add(page, 'Client', { Name: 'shopper' });
  await node(page, 'Deployment default/shopper').click({ button: 'right' });
  await page.getByRole('menu', { name: 'Deployment default/shopper' }).getByRole('menuitem', { name: 'Collapse namespace default' }).click();
  await expect(node(page, 'Namespace default')).toBeVisible();
  await expect(node(page, 'Service default/cart')).toHaveCount(0);
  await expect(node(page, 'Namespace default')).toContainText('1 service, 1 client');
  await page.screenshot({ path: 'test-results/screens/designer-collapsed.png' });
  await node(page, 'Namespace default').dblclick();
  await expect(node(page, 'Service default/cart')).toBeVisible();
  await expect(node(page, 'Namespace default')).toHaveCount(0);
});
