/**
 * View state: the sizes of the panes and which ones are collapsed (the editor beside the canvas, the Inspector, the
 * drawer under the canvas, the request and load forms, the charts). Kept in localStorage so that it survives
 * switching panels and reloading; never in the YAML, never in a saved design.
 */
import type { StateCreator } from 'zustand';
import type { AppState } from './store';

export interface ViewState {
  /** The canvas's share of the workspace's width, in percent (the editor has the rest). */
  canvasPercent: number;
  editorCollapsed: boolean;
  inspectorWidth: number;
  inspectorCollapsed: boolean;
  /** The drawer under the canvas, in pixels (its tabs alone when collapsed). */
  drawerHeight: number;
  drawerCollapsed: boolean;
  requestFormWidth: number;
  requestFormCollapsed: boolean;
  loadFormWidth: number;
  loadFormCollapsed: boolean;
  chartHeight: number;
  chartsCollapsed: boolean;
  /** The load results show the comparison with the previous run. */
  compareRuns: boolean;
}

type NumberKey = { [K in keyof ViewState]: ViewState[K] extends number ? K : never }[keyof ViewState];

/** Each size's range (and default): what a pane needs to stay usable. */
export const LIMITS: Record<NumberKey, { min: number; max: number; initial: number }> = {
  canvasPercent: { min: 20, max: 85, initial: 58 },
  inspectorWidth: { min: 280, max: 640, initial: 320 },
  drawerHeight: { min: 160, max: 1200, initial: 400 },
  requestFormWidth: { min: 240, max: 720, initial: 340 },
  loadFormWidth: { min: 250, max: 720, initial: 310 },
  chartHeight: { min: 100, max: 420, initial: 150 },
};

export const DEFAULT_VIEW: ViewState = {
  ...(Object.fromEntries(Object.entries(LIMITS).map(([k, l]) => [k, l.initial])) as Record<NumberKey, number>),
  editorCollapsed: false,
  inspectorCollapsed: false,
  drawerCollapsed: false,
  requestFormCollapsed: false,
  loadFormCollapsed: false,
  chartsCollapsed: false,
  compareRuns: false,
};

export const clampSize = (key: NumberKey, v: number) => Math.round(Math.min(LIMITS[key].max, Math.max(LIMITS[key].min, v)));

/** The view state stored as JSON: unknown keys, wrong types and sizes out of range fall back to the defaults. */
export function parseView(raw: string | null): ViewState {
  let stored: unknown;
  try {
    stored = raw ? JSON.parse(raw) : undefined;
  } catch {
    stored = undefined;
  }
  const view = { ...DEFAULT_VIEW };
  if (!stored || typeof stored !== 'object') return view;
  for (const [k, v] of Object.entries(stored)) {
    if (!(k in DEFAULT_VIEW)) continue;
    const key = k as keyof ViewState;
    if (typeof DEFAULT_VIEW[key] === 'boolean' && typeof v === 'boolean') (view as Record<string, unknown>)[key] = v;
    else if (key in LIMITS && typeof v === 'number' && Number.isFinite(v)) (view as Record<string, unknown>)[key] = clampSize(key as NumberKey, v);
  }
  return view;
}

export const VIEW_KEY = 'meshcraft:view';

const storage = () => (typeof localStorage === 'undefined' ? undefined : localStorage);

function readView(): ViewState {
  try {
    return parseView(storage()?.getItem(VIEW_KEY) ?? null);
  } catch {
    return { ...DEFAULT_VIEW }; // storage refused (privacy settings)
  }
}

export function saveView(view: ViewState) {
  try {
    storage()?.setItem(VIEW_KEY, JSON.stringify(view));
  } catch {
    // Storage full or refused: the view still works, it just is not remembered.
  }
}

export interface ViewSlice {
  view: ViewState;
  /** Sizes are clamped to their range. */
  setView(patch: Partial<ViewState>): void;
}

export const createViewSlice: StateCreator<AppState, [['zustand/subscribeWithSelector', never]], [], ViewSlice> = (set) => ({
  view: readView(),
  setView: (patch) =>
    set((s) => {
      const next = { ...s.view };
      for (const [k, v] of Object.entries(patch)) (next as Record<string, unknown>)[k] = k in LIMITS ? clampSize(k as NumberKey, v as number) : v;
      return { view: next };
    }),
});
