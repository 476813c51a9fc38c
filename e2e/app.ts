/** Page helpers shared by the e2e specs: find things the way users (and screen readers) do. */
import { expect, type Page } from '@playwright/test';

export const node = (page: Page, name: string) => page.getByRole('group', { name, exact: true });
export const edgeNamed = (page: Page, name: string | RegExp) => page.getByRole('group', { name });
export const staleBanner = (page: Page) => page.getByRole('alert').filter({ hasText: 'Showing the last valid design' });
export const editor = (page: Page) => page.getByRole('region', { name: 'YAML editor' });

export async function openApp(page: Page) {
  await page.goto('/');
  await expect(node(page, 'Service default/my-service')).toBeVisible({ timeout: 15_000 });
  await expect(editor(page).locator('.monaco-editor')).toBeVisible({ timeout: 15_000 });
}

/** The editor's whole text. */
export function editorText(page: Page): Promise<string> {
  return page.evaluate(() => (window as any).__meshcraftEditor.editor.getValue() as string);
}

/** Put the cursor at the end of a line (1-based) and focus the editor. */
export async function cursorAt(page: Page, line: number, column?: number) {
  await page.evaluate(
    ([l, c]) => {
      const ed = (window as any).__meshcraftEditor.editor;
      const col = c ?? ed.getModel().getLineMaxColumn(l);
      ed.setPosition({ lineNumber: l, column: col });
      ed.revealLine(l);
      ed.focus();
    },
    [line, column ?? null] as const,
  );
}

/** Type text as keystrokes (insertText: this Chromium's EditContext drops spaces from synthetic keys). */
export async function typeLines(page: Page, lines: string[]) {
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) {
      await page.keyboard.press('Enter');
      // Monaco keeps the previous line's indent on Enter: remove it so each line's own indent counts.
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Delete');
    }
    await page.keyboard.insertText(lines[i]);
  }
}

/** Replace the whole text as a paste would. */
export async function pasteAll(page: Page, text: string) {
  await page.evaluate((t) => {
    const ed = (window as any).__meshcraftEditor.editor;
    ed.focus();
    ed.pushUndoStop();
    ed.executeEdits('paste', [{ range: ed.getModel().getFullModelRange(), text: t }]);
    ed.pushUndoStop();
  }, text);
}

/** Markers on the editor's model, as {line, severity, message, owner}. */
export function markers(page: Page) {
  return page.evaluate(() => {
    const { editor: ed, monaco: m } = (window as any).__meshcraftEditor;
    const model = ed.getModel();
    return (m.editor.getModelMarkers({ resource: model.uri }) as any[]).map((x) => ({ line: x.startLineNumber, severity: x.severity, message: x.message, owner: x.owner }));
  });
}

export function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`"${needle}" not in the editor text`);
  return text.slice(0, i).split('\n').length;
}

/** This tab's design as autosave keeps it in IndexedDB (text '' when not saved yet). */
export function savedDesign(page: Page): Promise<{ text: string; history?: { steps: unknown[]; position: number } }> {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const id = sessionStorage.getItem('meshcraft:design');
        const req = indexedDB.open('meshcraft');
        req.onsuccess = () => {
          const get = req.result.transaction('designs').objectStore('designs').get(`design:${id}`);
          get.onsuccess = () => resolve(get.result ?? { text: '' });
          get.onerror = () => resolve({ text: '' });
        };
        req.onerror = () => resolve({ text: '' });
      }),
  );
}
