import { expect, test, type Page } from '@playwright/test';
import { editorText, node, openApp, pasteAll } from './app';

const progress = (page: Page) => page.getByRole('complementary', { name: 'Lesson' }).getByRole('status', { name: 'Lesson progress' });

async function send(page: Page, headers: string) {
  const panel = page.getByRole('region', { name: 'Simulation' });
  await panel.getByLabel('Source').selectOption({ label: 'default/client' });
  await panel.getByLabel('Host').fill('my-service');
  await panel.getByLabel('Path').fill('/');
  await panel.getByLabel('Headers').fill(headers);
  await panel.getByRole('button', { name: 'Send request' }).click();
  await expect(panel.getByRole('status', { name: 'Trace result' })).toContainText('200');
}

test('the canary lesson is completed end to end by following its instructions, and remembered', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await page.getByRole('button', { name: 'Example', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Start the lesson Canary rollout' }).click();
  const lesson = page.getByRole('complementary', { name: 'Lesson' });
  await expect(progress(page)).toHaveText('Step 1 of 5');
  await expect(node(page, 'Service default/my-service')).toBeVisible();
  const todo = lesson.getByLabel('What to do');

  // 1. Send a request.
  await expect(todo).toContainText('send a GET from default/client to host my-service');
  await page.getByRole('button', { name: 'Simulate a request' }).click();
  await send(page, '');
  await expect(progress(page)).toHaveText('Step 2 of 5');
  await expect(lesson.getByLabel('What happened')).toContainText('9 requests in 10 go to v1');

  // 2. Shift 10 % more to v2: the step points at the weight in the YAML.
  await expect(todo).toContainText('change the weights to 80 for v1 and 20 for v2');
  await lesson.getByRole('button', { name: 'Show me where' }).click();
  const selected = await page.evaluate(() => {
    const ed = (window as any).__meshcraftEditor.editor;
    return ed.getModel().getValueInRange(ed.getSelection());
  });
  expect(selected).toContain('weight: 90');
  await page.screenshot({ path: 'test-results/screens/lesson-light.png' });
  const start = await editorText(page);
  const shifted = start.replace('weight: 90', 'weight: 80').replace('weight: 10', 'weight: 20');
  await pasteAll(page, shifted);
  await expect(progress(page)).toHaveText('Step 3 of 5');

  // 3. A first rule for user jason.
  await expect(todo).toContainText('header end-user: jason');
  const withJason = shifted.replace('  http:\n  - name: canary\n', '  http:\n  - name: jason\n    match:\n    - headers:\n        end-user:\n          exact: jason\n    route:\n    - destination:\n        host: my-service\n        subset: v2\n  - name: canary\n');
  await pasteAll(page, withJason);
  await expect(progress(page)).toHaveText('Step 4 of 5');

  // 4. A request as jason.
  await send(page, 'end-user: jason');
  await expect(progress(page)).toHaveText('Step 5 of 5');
  await expect(page.getByRole('region', { name: 'Simulation' }).getByRole('status', { name: 'Trace result' })).toContainText('v2');

  // 5. Finish the rollout.
  await pasteAll(page, withJason.replace('weight: 80', 'weight: 0').replace('weight: 20', 'weight: 100'));
  await expect(progress(page)).toHaveText('Lesson complete: all 5 steps done.');
  await expect(lesson.getByLabel('What happened')).toContainText('Everyone now reaches v2');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await page.screenshot({ path: 'test-results/screens/lesson-dark.png' });

  // Progress is remembered across a reload.
  await page.reload();
  await expect(progress(page)).toHaveText('Lesson complete: all 5 steps done.', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Example', exact: true }).click();
  await expect(page.getByRole('menuitem', { name: 'Start the lesson Canary rollout' })).toHaveText('Lesson: Canary rollout ✓');
  await page.screenshot({ path: 'test-results/screens/example-menu.png' });
});
