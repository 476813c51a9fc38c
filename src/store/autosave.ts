/**
 * Autosave and named designs. Each tab edits one design, whose id it keeps in sessionStorage (so a reload comes
 * back to it) and on which it holds a Web Lock (so another tab knows it is taken). The design's text and the
 * positions the user dragged nodes to, and the editor's undo history, are written to IndexedDB at most 400 ms after a
 * change, however fast changes follow each other — a reload or a crash loses at most the last half second of work,
 * and after a reload undo and redo walk the same steps as before it.
 *
 * A new tab opens the newest design nobody else has open; when the design it wants is open in another tab, it works
 * on a copy instead of writing over the other tab's work.
 */
import { create } from 'zustand';
import { loadHistory, savedHistory } from '../editor/undoHistory';
import { deleteDesign, listDesigns, lockDesign, newId, openElsewhere, readDesign, readLegacy, removeLegacy, sessionDesign, setSessionDesign, uniqueName, writeDesign, type DesignMeta, type DesignRecord, type Positions } from './designs';
import { setDesignOpener } from './shareLinks';
import { notify } from './shareUi';
import { useStore } from './store';

const DELAY_MS = 400;

interface DesignsState {
  /** The design this tab edits. */
  current?: DesignMeta;
  /** True when this browser had no saved design at start: the first-run hint may show. */
  firstRun: boolean;
}

export const useDesigns = create<DesignsState>()(() => ({ firstRun: false }));

const record = (meta: DesignMeta, text: string, manual: Positions): DesignRecord => ({ version: 2, id: meta.id, name: meta.name, text, manual, history: savedHistory(text), savedAt: Date.now() });

/** Saves this tab's design now. */
export async function saveNow(): Promise<void> {
  const meta = useDesigns.getState().current;
  if (!meta) return;
  const { text, manual } = useStore.getState();
  const rec = record(meta, text, manual);
  useDesigns.setState({ current: { ...meta, savedAt: rec.savedAt } });
  await writeDesign(rec).catch(() => {
    /* private mode or quota: keep working without autosave */
  });
}

/**
 * Makes a design this tab's design: the editor shows it with its own undo history (a new design's is empty: undo
 * must not walk back into another design's text, and autosave it under this one's name).
 */
function show(rec: DesignRecord) {
  setSessionDesign(rec.id);
  useDesigns.setState({ current: { id: rec.id, name: rec.name, savedAt: rec.savedAt } });
  useStore.setState({ manual: rec.manual ?? {} });
  useStore.getState().setText(rec.text, 'load');
  loadHistory(rec.text, rec.history);
}

async function createDesign(name: string, text: string, manual: Positions = {}): Promise<DesignRecord> {
  const taken = (await listDesigns().catch(() => [])).map((d) => d.name);
  const rec: DesignRecord = { version: 2, id: newId(), name: uniqueName(name, taken), text, manual, savedAt: Date.now() };
  await lockDesign(rec.id);
  await writeDesign(rec).catch(() => {});
  return rec;
}

/** Picks this tab's design at start and keeps it saved. Resolves to a function that stops autosaving. */
export async function startDesigns(fallbackText: string): Promise<() => void> {
  // Once per page, even when React runs the start-up effect twice (StrictMode).
  choosing ??= chooseDesign(fallbackText).then(show);
  await choosing;
  setDesignOpener((text, positions, source) => void openAsNewDesign(text, positions, source));
  return startAutosave();
}

let choosing: Promise<void> | undefined;

async function chooseDesign(fallbackText: string): Promise<DesignRecord> {
  let chosen: DesignRecord | undefined;
  try {
    const own = sessionDesign();
    const ownRec = own ? await readDesign(own) : undefined;
    if (ownRec && (await lockDesign(ownRec.id))) chosen = ownRec;
    else if (ownRec) {
      // A duplicated tab carries its parent's id: the parent keeps the design, this tab gets a copy.
      chosen = await createDesign(`${ownRec.name} (copy)`, ownRec.text, ownRec.manual);
      notify(`“${ownRec.name}” is open in another tab: this tab works on a copy, “${chosen.name}”.`);
    } else {
      const designs = await listDesigns();
      const busy = await openElsewhere();
      const free = designs.find((d) => !busy.has(d.id));
      const freeRec = free && (await lockDesign(free.id)) ? await readDesign(free.id) : undefined;
      if (freeRec) chosen = freeRec;
      else if (designs.length) {
        const newest = await readDesign(designs[0].id);
        chosen = await createDesign(`${newest?.name ?? 'Untitled design'} (copy)`, newest?.text ?? fallbackText, newest?.manual);
        notify(`Your other designs are open in other tabs: this tab works on a copy, “${chosen.name}”.`);
      } else {
        const legacy = await readLegacy();
        useDesigns.setState({ firstRun: !legacy });
        chosen = await createDesign(legacy ? 'My design' : 'Untitled design', legacy?.text || fallbackText, legacy?.manual);
        if (legacy) await removeLegacy();
      }
    }
  } catch {
    // No IndexedDB (private mode, blocked storage): work without saving.
    chosen = { version: 2, id: newId(), name: 'Unsaved design', text: fallbackText, manual: {}, savedAt: Date.now() };
  }
  return chosen;
}

function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A save at most DELAY_MS after the first unsaved change: typing without pause is saved as it goes.
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void saveNow();
    }, DELAY_MS);
  };
  const unsubs = [useStore.subscribe((s) => s.text, schedule), useStore.subscribe((s) => s.manual, schedule)];
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    void saveNow();
  };
  window.addEventListener('pagehide', flush);
  return () => {
    clearTimeout(timer);
    unsubs.forEach((u) => u());
    window.removeEventListener('pagehide', flush);
  };
}

// ---- the design switcher's commands ----

/** A link's or URL's design becomes a new named design (the current one stays as it is). */
export async function openAsNewDesign(text: string, positions: Positions | undefined, source: string) {
  await saveNow();
  const rec = await createDesign(source === 'share link' ? 'Shared design' : source, text, positions ?? {});
  show(rec);
}

export async function newDesign(text = '') {
  await saveNow();
  show(await createDesign('Untitled design', text));
}

/** Opens a saved design in this tab; resolves to a reason when it cannot. */
export async function openDesign(id: string): Promise<string | undefined> {
  if (useDesigns.getState().current?.id === id) return undefined;
  await saveNow();
  if (!(await lockDesign(id))) return 'This design is open in another tab. Open a copy instead, or switch to that tab.';
  const rec = await readDesign(id);
  if (!rec) return 'This design no longer exists.';
  show(rec);
  return undefined;
}

export async function openCopy(id: string): Promise<void> {
  const rec = await readDesign(id);
  if (!rec) return;
  await saveNow();
  show(await createDesign(`${rec.name} (copy)`, rec.text, rec.manual));
}

export async function renameDesign(id: string, name: string): Promise<string | undefined> {
  const clean = name.trim();
  if (!clean) return 'A design needs a name.';
  const rec = await readDesign(id);
  if (!rec) return 'This design no longer exists.';
  const current = useDesigns.getState().current;
  if (current?.id === id) {
    useDesigns.setState({ current: { ...current, name: clean } });
    await saveNow();
  } else await writeDesign({ ...rec, name: clean });
  return undefined;
}

export async function removeDesign(id: string): Promise<string | undefined> {
  if (useDesigns.getState().current?.id === id) return 'This tab is editing this design: open another one first.';
  if ((await openElsewhere()).has(id)) return 'This design is open in another tab.';
  await deleteDesign(id);
  return undefined;
}

export { listDesigns, openElsewhere };
