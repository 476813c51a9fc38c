/**
 * Named designs in IndexedDB: one record per design (`design:<id>`: name, text, manual node positions, undo history,
 * time saved).
 * Which design a tab edits is the tab's own (sessionStorage), and a tab holds a Web Lock on it while it does, so that
 * a second tab can tell that a design is open elsewhere instead of overwriting it.
 */
import { createStore, del, get, getMany, keys, set, type UseStore } from 'idb-keyval';
import { readSavedHistory, type SavedHistory } from '../editor/undoLog';

export type Positions = Record<string, { x: number; y: number }>;

export interface DesignRecord {
  version: 2;
  id: string;
  name: string;
  text: string;
  manual: Positions;
  /** The editor's undo history at `text` (absent in records saved before it was kept, or when unknown). */
  history?: SavedHistory;
  savedAt: number;
}

export type DesignMeta = Pick<DesignRecord, 'id' | 'name' | 'savedAt'>;

/** The record format before named designs (one design per browser). */
interface LegacyRecord {
  version: 1;
  text: string;
  manual: Positions;
  savedAt: number;
}

const PREFIX = 'design:';
/** Where the one design of the v1 format was kept: read once, to migrate it, and then removed. */
const LEGACY_KEY = 'design:current';
const SESSION_KEY = 'meshcraft:design';

let db: UseStore | undefined;
const store = () => (db ??= createStore('meshcraft', 'designs'));

export const newId = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);

const isRecord = (r: unknown): r is DesignRecord => !!r && typeof r === 'object' && (r as DesignRecord).version === 2 && typeof (r as DesignRecord).text === 'string' && typeof (r as DesignRecord).id === 'string';

export async function readDesign(id: string): Promise<DesignRecord | undefined> {
  const r = await get(PREFIX + id, store());
  return isRecord(r) ? { ...r, history: readSavedHistory(r.history) } : undefined;
}

export async function writeDesign(record: DesignRecord): Promise<void> {
  await set(PREFIX + record.id, record, store());
}

export async function deleteDesign(id: string): Promise<void> {
  await del(PREFIX + id, store());
}

/** All designs, most recently saved first. */
export async function listDesigns(): Promise<DesignMeta[]> {
  const ids = (await keys(store())).filter((k): k is string => typeof k === 'string' && k.startsWith(PREFIX) && k !== LEGACY_KEY);
  const records = (await getMany(ids, store())).filter(isRecord);
  return records.map(({ id, name, savedAt }) => ({ id, name, savedAt })).sort((a, b) => b.savedAt - a.savedAt);
}

/** The one design saved before named designs existed, if any. */
export async function readLegacy(): Promise<LegacyRecord | undefined> {
  const r = (await get(LEGACY_KEY, store())) as LegacyRecord | undefined;
  // Newer versions mirrored their last design there too (with its id): that one is no v1 design.
  return r?.version === 1 && typeof r.text === 'string' && !('id' in r) ? r : undefined;
}

/** Once the v1 design lives on as a named design. */
export const removeLegacy = () => del(LEGACY_KEY, store());

// ---- this tab's design ----

export const sessionDesign = (): string | null => {
  try {
    return sessionStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
};

export const setSessionDesign = (id: string) => {
  try {
    sessionStorage.setItem(SESSION_KEY, id);
  } catch {
    /* storage disabled: the tab just starts from the newest design next time */
  }
};

// ---- locks: which designs are open in a tab ----

const lockName = (id: string) => `meshcraft-design-${id}`;
let held: { id: string; release(): void } | undefined;

/** Takes this tab's lock on a design (dropping the one it had). False when another tab holds it. */
export async function lockDesign(id: string): Promise<boolean> {
  if (held?.id === id) return true;
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) {
    held?.release();
    held = { id, release: () => {} };
    return true;
  }
  return new Promise<boolean>((resolve) => {
    void locks.request(lockName(id), { ifAvailable: true }, (lock) => {
      if (!lock) {
        resolve(false);
        return undefined;
      }
      held?.release();
      // Keep the lock until this tab moves to another design or closes.
      return new Promise<void>((release) => {
        held = { id, release: () => release() };
        resolve(true);
      });
    });
  });
}

/** The ids of designs some tab (this one included) has open. */
export async function openElsewhere(): Promise<Set<string>> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return new Set();
  const state = await locks.query();
  const names = (state.held ?? []).map((l) => l.name ?? '').filter((n) => n.startsWith('meshcraft-design-'));
  const mine = held ? lockName(held.id) : '';
  return new Set(names.filter((n) => n !== mine).map((n) => n.slice('meshcraft-design-'.length)));
}

/** A name not yet used: `Untitled design`, `Untitled design 2`… */
export function uniqueName(wanted: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!used.has(`${wanted} ${n}`)) return `${wanted} ${n}`;
}
