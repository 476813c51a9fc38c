/**
 * Autosave: the design's text and the positions the user dragged nodes to are written to IndexedDB shortly after
 * every change, and restored on the next visit — a reload or a crash loses at most the last second of work.
 */
import { createStore, get, set } from 'idb-keyval';
import { useStore } from './store';

const DELAY_MS = 400;
const KEY = 'design:current';

interface Saved {
  version: 1;
  text: string;
  manual: Record<string, { x: number; y: number }>;
  savedAt: number;
}

const db = () => createStore('meshcraft', 'designs');

/** The saved design, if any (and if IndexedDB is available). */
export async function loadSaved(): Promise<Saved | undefined> {
  try {
    const saved = (await get(KEY, db())) as Saved | undefined;
    return saved?.version === 1 && typeof saved.text === 'string' ? saved : undefined;
  } catch {
    return undefined;
  }
}

export function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    const { text, manual } = useStore.getState();
    const record: Saved = { version: 1, text, manual, savedAt: Date.now() };
    set(KEY, record, db()).catch(() => {
      /* private mode or quota: keep working without autosave */
    });
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  };
  const unsubs = [useStore.subscribe((s) => s.text, schedule), useStore.subscribe((s) => s.manual, schedule)];
  const flush = () => {
    clearTimeout(timer);
    save();
  };
  window.addEventListener('pagehide', flush);
  return () => {
    clearTimeout(timer);
    unsubs.forEach((u) => u());
    window.removeEventListener('pagehide', flush);
  };
}
