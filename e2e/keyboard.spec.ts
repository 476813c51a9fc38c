/**
 * The simulation UI with the keyboard only: Tab (and Shift+Tab) to every control — request form, preset, Send, trace
 * steps, the panel tabs, load form, Run, Cancel, what-if slider and toggle, compare — with a visible focus ring on
 * each; Enter, Space and the arrow keys do the rest. No mouse click in this file.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openApp } from './app';

/** Press Tab (or Shift+Tab) until `target` has the focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, { back = false, max = 150 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${target} not reached with ${back ? 'Shift+Tab' : 'Tab'}`);
}

/** The focused element shows a focus ring (an outline at least 2 px wide). */
async function expectFocusRing(target: Locator) {
  await expect(target).toBeFocused();
  const ring = await target.evaluate((el) => {
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  expect(ring.style).not.toBe('none');
  expect(ring.width).toBeGreaterThanOrEqual(2);
}

const editorSelection = (page: Page) =>
  page.evaluate(() => {
    const ed = (window as any).__meshcraftEditor.editor;
    return ed.getModel().getValueInRange(ed.getSelection()) as string;
  });

test('a request and a load run, keyboard only', async ({ page }) => {
  test.setTimeout(90_000);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openApp(page);
  const drawer = page.getByRole('region', { name: 'Simulation' });

  // The toolbar's Simulate opens the request panel.
  const simulate = page.getByRole('button', { name: 'Simulate a request' });
  await tabTo(page, simulate);
  await expectFocusRing(simulate);
  await page.keyboard.press('Enter');

  // A preset with the arrow keys (the first one: jason's header route), then Send.
  const preset = drawer.getByRole('combobox', { name: 'Preset' });
  await tabTo(page, preset);
  await expectFocusRing(preset);
  await page.keyboard.press('ArrowDown');
  await expect(drawer.getByRole('textbox', { name: 'Headers' })).toHaveValue('end-user: jason');
  const send = drawer.getByRole('button', { name: 'Send request' });
  await tabTo(page, send);
  await expectFocusRing(send);
  await page.keyboard.press('Enter');
  await expect(drawer.getByRole('status', { name: 'Trace result' })).toContainText('200');
  await expect(send).toBeFocused();

  // A trace step: Enter reveals the YAML it came from.
  const step = drawer.getByLabel('Explanation').getByRole('button', { name: /"jason-sees-v2" matches/ });
  await tabTo(page, step);
  await expectFocusRing(step);
  await page.keyboard.press('Enter');
  await expect.poll(() => editorSelection(page)).toMatch(/^headers:\s+end-user:\s+exact: jason\s*$/);

  // Back to the tabs; the arrow keys move to Run load.
  await tabTo(page, drawer.getByRole('tab', { name: 'Send a request' }), { back: true });
  await page.keyboard.press('ArrowRight');
  const loadTab = drawer.getByRole('tab', { name: 'Run load' });
  await expect(loadTab).toBeFocused();
  await expect(loadTab).toHaveAttribute('aria-selected', 'true');

  // The load form: only the canary's catch-all request, 10,000 of them.
  const only = drawer.getByRole('button', { name: 'Only my-service · canary — everything else (from internet)' });
  await tabTo(page, only);
  await expectFocusRing(only);
  await page.keyboard.press('Enter');
  const requests = drawer.getByRole('textbox', { name: 'Requests' });
  await tabTo(page, requests, { back: true });
  await expectFocusRing(requests);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('10000');
  const run = drawer.getByRole('button', { name: 'Run load' });
  await tabTo(page, run);
  await expectFocusRing(run);
  await page.keyboard.press('Enter');
  const result = drawer.getByRole('status', { name: 'Load result' });
  await expect(result).toContainText('10,000 requests', { timeout: 20_000 });

  // What-if: the canary slider with the arrow keys (each step re-runs the load), then an abort toggle with Space.
  const slider = drawer.getByRole('slider', { name: 'What-if weight of v2 in my-service · canary' });
  await tabTo(page, slider);
  await expectFocusRing(slider);
  await page.keyboard.press('End');
  await expect(result).toContainText('canary 0/100', { timeout: 20_000 });
  const abort = drawer.getByRole('checkbox', { name: 'Abort 50% of my-service · canary with 503' });
  await tabTo(page, abort);
  await expectFocusRing(abort);
  await page.keyboard.press('Space');
  await expect(result).toContainText('abort on canary', { timeout: 20_000 });

  // Compare with the previous run.
  const compare = drawer.getByRole('button', { name: 'Compare with previous run' });
  await tabTo(page, compare, { back: true });
  await expectFocusRing(compare);
  await page.keyboard.press('Enter');
  await expect(drawer.getByRole('table', { name: 'Compared with previous run' })).toBeVisible();

  // A long run, cancelled from the keyboard: the focus goes back to Run, not to the page.
  await tabTo(page, requests, { back: true });
  await page.keyboard.press('Control+a');
  await page.keyboard.type('100000000'); // the simulator's limit: long enough to cancel
  await tabTo(page, run);
  await page.keyboard.press('Enter');
  await expect(drawer.getByRole('progressbar', { name: 'Load progress' })).toBeVisible();
  // (Named “Running…” and aria-disabled while the load runs, it keeps the focus.)
  const running = drawer.getByRole('button', { name: 'Running…' });
  await expect(running).toBeFocused();
  await expect(running).toHaveAttribute('aria-disabled', 'true');
  const cancel = drawer.getByRole('button', { name: 'Cancel' });
  await page.keyboard.press('Tab');
  await expectFocusRing(cancel);
  await page.keyboard.press('Enter');
  await expect(drawer.getByText('Cancelled; the design is unchanged.')).toBeVisible();
  await expect(run).toBeFocused();
});
