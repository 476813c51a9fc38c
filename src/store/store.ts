/**
 * One zustand store from typed slices. The document text is the single source of truth; the graph and the
 * diagnostics are derived from it by the model worker (see pipeline.ts).
 */
import { create } from 'zustand';
import { subscribeWithSelector } from 'zustand/middleware';
import type { LocatedMessage } from '../analysis/types';
import type { RequestInput, Trace } from '../engine/types';
import type { Positions } from '../graph/layout';
import type { MeshGraph } from '../graph/types';
import type { Diagnostic, Resource } from '../model/resource';
import { packSourceMap, type PackedSourceMap } from '../model/sourcemap';
import type { TextEdit } from '../worker/textDelta';
import type { RequestForm } from '../sim/requestForm';
import { createLoadSlice, type LoadSlice } from './load';
import { createViewSlice, saveView, type ViewSlice } from './view';

export type Origin = 'editor' | 'canvas' | 'load' | 'remote';

export interface DocumentSlice {
  text: string;
  /** Bumped on every change of `text`. */
  version: number;
  origin: Origin;
  /** Result for the newest text that has been analysed. */
  analyzedVersion: number;
  diagnostics: Diagnostic[];
  /** The analyzer's findings for the last text that parsed. */
  problems: LocatedMessage[];
  /** The last graph derived from text that parsed; kept while the text is broken. */
  graph: MeshGraph;
  resources: Resource[];
  /** Where each YAML document of the analysed text is: from, to per document (the splicer's index, with `resources`). */
  documents: Int32Array;
  /** Packed as the model worker sends it; `unpackSourceMap` (memoised) when a field is looked up. */
  sourceMap: PackedSourceMap;
  /** True when the canvas shows an older graph than the text (the text does not parse, or is being parsed). */
  stale: boolean;
  /** Why the canvas is out of date, in one line. */
  problem?: string;
  /** `edits`: how the previous text became this one, when known (the editor reports them; see textDelta.ts). */
  setText(text: string, origin: Origin, edits?: readonly TextEdit[]): void;
  /** The edits of the last setText, if known. */
  textEdits?: readonly TextEdit[];
}

export interface LayoutSlice {
  /** Positions from the last auto-layout, by node id. */
  auto: Positions;
  /** Positions the user dragged nodes to; they win over auto-layout. */
  manual: Record<string, { x: number; y: number }>;
  layoutBusy: boolean;
  /** True while the user designs on the canvas: nodes keep their places and the view stays where it is. */
  designing: boolean;
  moveNode(id: string, x: number, y: number): void;
  /** Namespaces drawn as one node each. */
  collapsed: string[];
  toggleNamespace(ns: string): void;
  /** Keep these positions (the current layout, when the user starts designing) unless already placed by hand. */
  pin(positions: Record<string, { x: number; y: number }>): void;
  resetLayout(): void;
}

export interface SelectionSlice {
  selection?: { kind: 'node' | 'edge'; id: string };
  /** A text range for the editor to reveal; `seq` changes on every request. */
  reveal?: { from: number; to: number; seq: number };
  /** Nodes picked together (shift-click or a selection box), for delete and duplicate. */
  picked: string[];
  select(selection: SelectionSlice['selection']): void;
  setPicked(ids: string[]): void;
  revealRange(from: number, to: number): void;
}

export interface UiSlice {
  theme: 'light' | 'dark';
  /** A one-line message about the last canvas edit. */
  toast?: { text: string; level: 'info' | 'error' };
  toggleTheme(): void;
}

export type Drawer = 'problems' | 'request' | 'load';

export interface SimulationSlice {
  /** The last traced request and its result; `stale` once the design changed after it. */
  traced?: { input: RequestInput; trace: Trace; resources: Resource[] };
  traceError?: string;
  tracing: boolean;
  /** The request form's fields as typed, or as an example's suggestion filled them (undefined: not yet shown). */
  requestForm?: RequestForm;
  /** The panel under the canvas: the analyzer's problems, a request to trace, or none. */
  drawer: Drawer | null;
  /** Opening a panel expands the drawer if it was collapsed. */
  setDrawer(drawer: Drawer | null): void;
}

export type AppState = DocumentSlice & LayoutSlice & SelectionSlice & UiSlice & SimulationSlice & LoadSlice & ViewSlice;

const prefersDark = () => typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches;

export const useStore = create<AppState>()(
  subscribeWithSelector((set, get, api) => ({
    text: '',
    version: 0,
    origin: 'load',
    analyzedVersion: 0,
    diagnostics: [],
    problems: [],
    graph: { nodes: [], edges: [] },
    resources: [],
    documents: new Int32Array(0),
    sourceMap: packSourceMap(new Map()),
    stale: false,
    setText: (text, origin, edits) =>
      set((s) => (s.text.length === text.length && s.text === text ? s : { text, origin, textEdits: edits, version: s.version + 1, ...(origin === 'load' ? { designing: false, requestForm: undefined } : {}) })),

    auto: {},
    manual: {},
    layoutBusy: false,
    designing: false,
    collapsed: [],
    toggleNamespace: (ns) => set((s) => ({ collapsed: s.collapsed.includes(ns) ? s.collapsed.filter((x) => x !== ns) : [...s.collapsed, ns] })),
    moveNode: (id, x, y) => set((s) => ({ manual: { ...s.manual, [id]: { x, y } } })),
    pin: (positions) => set((s) => ({ manual: { ...positions, ...s.manual }, designing: true })),
    resetLayout: () => set({ manual: {}, designing: false }),

    selection: undefined,
    reveal: undefined,
    picked: [],
    select: (selection) => set({ selection }),
    setPicked: (picked) => set({ picked }),
    revealRange: (from, to) => set((s) => ({ reveal: { from, to, seq: (s.reveal?.seq ?? 0) + 1 } })),

    traced: undefined,
    traceError: undefined,
    tracing: false,
    drawer: null,
    setDrawer: (drawer) => set((s) => ({ drawer, view: drawer && s.view.drawerCollapsed ? { ...s.view, drawerCollapsed: false } : s.view })),

    theme: prefersDark() ? 'dark' : 'light',
    toggleTheme: () => set((s) => ({ theme: s.theme === 'dark' ? 'light' : 'dark' })),

    ...createLoadSlice(set, get, api),
    ...createViewSlice(set, get, api),
  })),
);

useStore.subscribe((s) => s.view, saveView);
