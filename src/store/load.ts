/**
 * The load slice: the Load panel's form, the run in flight (progress, cancel), the last two results (for
 * "compare with previous run"), what-if changes and the canvas overlay switches. Runs go through the simulation
 * worker (`createSimClient`); the design is never modified by a run. Results survive switching drawer tabs.
 */
import type { StateCreator } from 'zustand';
import type { SimProgress, SimResult, SimSpec } from '../engine/sim/types';
import type { Resource } from '../model/resource';
import { toSimSpec, type LoadForm } from '../sim/loadForm';
import { applyWhatIf, isEmpty, NO_WHAT_IF, rulesOf, type WhatIf } from '../sim/whatIf';
import { createSimClient, type SimClient } from '../worker/simClient';
import type { AppState } from './store';

export interface LoadRun {
  result: SimResult;
  spec: SimSpec;
  /** The design the run was made on (without the what-if changes). */
  resources: Resource[];
  whatIf: WhatIf;
  /** e.g. `Run 3 · canary 70/30, abort on canary` */
  label: string;
  /** Wall-clock milliseconds from Run to result. */
  wallMs: number;
}

export interface LoadSlice {
  /** Undefined until the panel first opens (then derived from the design). */
  loadForm?: LoadForm;
  loadStatus: 'idle' | 'running' | 'cancelled' | 'invalid' | 'failed' | 'done';
  loadProgress?: SimProgress;
  /** Messages of an invalid or failed run. */
  loadErrors: string[];
  loadResult?: LoadRun;
  loadPrevious?: LoadRun;
  /** What-if changes applied to the next runs. */
  whatIf: WhatIf;
  /** Draw the results on the canvas (edge labels, health colours, particles). */
  showTraffic: boolean;
  animateTraffic: boolean;
  setLoadForm(form: LoadForm): void;
  setWhatIf(w: WhatIf): void;
  setShowTraffic(on: boolean): void;
  setAnimateTraffic(on: boolean): void;
  /** Run the form's load; `rerun`: the last run's spec again (for what-if changes). */
  runLoad(rerun?: boolean): Promise<void>;
  cancelLoad(): void;
  clearLoad(): void;
}

let client: SimClient | undefined;
let runs = 0;
const sim = () => (client ??= createSimClient());

/** For tests: a main-thread client (no Worker in Node). */
export function setSimClient(c: SimClient) {
  client = c;
}

/** `canary 70/30, abort on canary` */
function whatIfLabel(w: WhatIf, resources: readonly Resource[]): string {
  const names = new Map(rulesOf(resources).map((r) => [r.id, r.name.split(' · ').pop()!]));
  const weights = Object.entries(w.weights).map(([id, ws]) => `${names.get(id) ?? 'route'} ${ws.join('/')}`);
  const aborts = Object.entries(w.aborts).map(([id, on]) => `${on ? 'abort on' : 'no abort on'} ${names.get(id) ?? 'route'}`);
  return [...weights, ...aborts].join(', ');
}

const reducedMotion = () => typeof matchMedia !== 'undefined' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export const createLoadSlice: StateCreator<AppState, [['zustand/subscribeWithSelector', never]], [], LoadSlice> = (set, get) => ({
  loadForm: undefined,
  loadStatus: 'idle',
  loadProgress: undefined,
  loadErrors: [],
  loadResult: undefined,
  loadPrevious: undefined,
  whatIf: NO_WHAT_IF,
  showTraffic: true,
  animateTraffic: !reducedMotion(),
  setLoadForm: (loadForm) => set({ loadForm }),
  setWhatIf: (whatIf) => set({ whatIf }),
  setShowTraffic: (showTraffic) => set({ showTraffic }),
  setAnimateTraffic: (animateTraffic) => set({ animateTraffic }),

  async runLoad(rerun = false) {
    const s = get();
    let spec: SimSpec;
    if (rerun && s.loadResult) spec = s.loadResult.spec;
    else {
      if (!s.loadForm) return;
      const out = toSimSpec(s.loadForm);
      if ('error' in out) {
        set({ loadStatus: 'invalid', loadErrors: [out.error] });
        return;
      }
      spec = out.spec;
    }
    const resources = s.resources;
    const whatIf = s.whatIf;
    const started = performance.now();
    set({ loadStatus: 'running', loadErrors: [], loadProgress: undefined });
    const run = sim().start({ resources: applyWhatIf(resources, whatIf), spec }, (loadProgress) => set({ loadProgress }));
    const outcome = await run.done;
    switch (outcome.status) {
      case 'done': {
        const label = `Run ${++runs}${isEmpty(whatIf) ? '' : ` · ${whatIfLabel(whatIf, resources)}`}`;
        const next: LoadRun = { result: outcome.result, spec, resources, whatIf, label, wallMs: performance.now() - started };
        set((cur) => ({ loadStatus: 'done', loadResult: next, loadPrevious: cur.loadResult, showTraffic: true, loadErrors: outcome.result.warnings }));
        return;
      }
      case 'invalid':
        set({ loadStatus: 'invalid', loadErrors: outcome.errors });
        return;
      case 'failed':
        set({ loadStatus: 'failed', loadErrors: [outcome.error] });
        return;
      case 'cancelled':
        set({ loadStatus: 'cancelled' });
        return;
      case 'superseded':
        return; // a newer run owns the status
    }
  },
  cancelLoad() {
    sim().cancel();
    set({ loadStatus: 'cancelled' });
  },
  clearLoad() {
    sim().cancel();
    set({ loadStatus: 'idle', loadResult: undefined, loadPrevious: undefined, loadProgress: undefined, loadErrors: [], whatIf: NO_WHAT_IF });
  },
});
