/**
 * The Inspector: a panel docked at the right of the canvas with the form for the selected node or edge. It shows
 * the analyzer's messages about it first; every field edits the YAML through the command layer (one undo step
 * each). Collapsible and resizable; the canvas's own panels on the right move aside for it.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { LocatedMessage } from '../analysis/types';
import { applyFix, announce } from '../store/edit';
import { revealField } from '../store/reveal';
import { useStore } from '../store/store';
import { ClientForm } from './ClientForm';
import { EntryForm } from './EntryForm';
import { Note } from './fields';
import { GatewayForm } from './GatewayForm';
import { RouteForm } from './RouteForm';
import { ServiceEntryForm } from './ServiceEntryForm';
import { ServiceForm } from './ServiceForm';
import { SubsetForm } from './SubsetForm';
import { problemsFor, resolveTarget, type Target } from './target';
import { clampWidth } from './dock';
import { useKeepInView } from './useKeepInView';
import { isObj } from './values';

const MIN_WIDTH = 280;
const MAX_WIDTH = 640;
const COLLAPSED_WIDTH = 34;

export function Inspector() {
  const selection = useStore((s) => s.selection);
  const graph = useStore((s) => s.graph);
  const resources = useStore((s) => s.resources);
  const stale = useStore((s) => s.stale);
  const allProblems = useStore((s) => s.problems);
  const [collapsed, setCollapsedState] = useState(false);
  /** Set when the user folds or unfolds the dock: the button that undoes it takes the focus. */
  const toggled = useRef(false);
  const setCollapsed = (c: boolean) => {
    toggled.current = true;
    setCollapsedState(c);
  };
  useEffect(() => {
    if (!toggled.current) return;
    toggled.current = false;
    ref.current?.querySelector<HTMLButtonElement>(collapsed ? '.insp-expand' : '.insp-head button')?.focus();
  }, [collapsed]);
  const [width, setWidth] = useState(320);
  const ref = useRef<HTMLElement>(null);
  const target = useMemo(() => resolveTarget(graph, selection), [graph, selection]);
  const problems = useMemo(() => (target ? problemsFor(graph, target, allProblems) : []), [graph, target, allProblems]);

  // The React Flow panels on the right (buttons, legend, minimap) keep clear of the dock.
  const shown = !!target;
  useLayoutEffect(() => {
    const host = ref.current?.parentElement;
    if (!host) return;
    // A custom property on React Flow's wrapper: React leaves properties it does not set alone (not so classes).
    host.style.setProperty('--insp-w', `${collapsed ? COLLAPSED_WIDTH : width}px`);
    return () => {
      host.style.removeProperty('--insp-w');
    };
  }, [width, collapsed, shown]);

  useKeepInView(ref, selection, shown && !collapsed);

  if (!target || !selection) return null;
  const head = heading(target, resources);
  if (collapsed) {
    return (
      <aside ref={ref} className="insp is-collapsed" aria-label="Inspector">
        <button type="button" className="insp-expand" aria-expanded="false" aria-label={`Show the inspector (${head.title})`} title="Show the inspector" onClick={() => setCollapsed(false)}>
          ◂ <span>Inspector</span>
        </button>
      </aside>
    );
  }
  return (
    <aside
      ref={ref}
      className="insp"
      aria-label="Inspector"
      style={{ width }}
      onKeyDown={(e) => {
        // Plain keys typed here are not canvas shortcuts (F, L, /, ?).
        if (!e.ctrlKey && !e.metaKey && !e.altKey && e.key !== 'Escape') e.stopPropagation();
      }}
    >
      <ResizeHandle width={width} setWidth={setWidth} />
      <header className="insp-head">
        <div className="insp-title">
          <span className="insp-kind">{head.kind}</span>
          <strong>{head.title}</strong>
          <span className="insp-sub">{head.sub}</span>
        </div>
        <button type="button" className="insp-icon" aria-expanded="true" aria-label="Collapse the inspector" title="Collapse" onClick={() => setCollapsed(true)}>
          ▸
        </button>
        <button type="button" className="insp-icon" aria-label="Close the inspector (clear the selection)" title="Close" onClick={() => useStore.getState().select(undefined)}>
          ×
        </button>
      </header>
      <div className="insp-body">
        {problems.length ? <Problems list={problems} /> : null}
        {stale ? <p className="insp-note insp-paused">Edits are paused while the YAML has errors: fix it in the editor or undo.</p> : null}
        <fieldset className="insp-form" disabled={stale} key={selection.id}>
          {form(target, resources)}
        </fieldset>
      </div>
    </aside>
  );
}

function heading(t: Target, resources: ReturnType<typeof useStore.getState>['resources']): { kind: string; title: string; sub: string } {
  switch (t.kind) {
    case 'rule': {
      const vs = resources.find((r) => r.key === t.rule.vs);
      const rule = (vs?.spec as Record<string, unknown[]> | undefined)?.[t.rule.protocol]?.[t.rule.index];
      const name = isObj(rule) && typeof rule.name === 'string' ? rule.name : `${t.rule.protocol}[${t.rule.index}]`;
      return { kind: t.mirror ? 'Route (mirror)' : 'Route', title: `Route “${name}”`, sub: t.rule.vs.replace(/^VirtualService\//, 'VirtualService ') };
    }
    case 'entry':
      return { kind: 'Gateway entry', title: t.edge.match, sub: `${t.virtualServices.length} VirtualService${t.virtualServices.length === 1 ? '' : 's'}` };
    case 'service':
      return { kind: 'Service', title: t.node.name, sub: `namespace ${t.node.namespace}` };
    case 'subset':
      return { kind: 'Subset', title: t.node.name, sub: t.node.label.replace(/^Subset /, '') };
    case 'gateway':
      return { kind: t.node.kind === 'egress' ? 'Egress gateway' : 'Ingress gateway', title: t.node.name, sub: `namespace ${t.node.namespace}` };
    case 'serviceEntry':
      return { kind: 'ServiceEntry', title: t.node.name, sub: t.node.namespace ? `namespace ${t.node.namespace}` : 'external host' };
    case 'client':
      return { kind: 'Client workload', title: t.node.name, sub: `Deployment in ${t.node.namespace}` };
    case 'mesh':
      return { kind: 'Mesh', title: 'All sidecars', sub: 'rules bound to gateway “mesh”' };
  }
}

function form(t: Target, resources: ReturnType<typeof useStore.getState>['resources']): ReactNode {
  switch (t.kind) {
    case 'rule': {
      const vs = resources.find((r) => r.key === t.rule.vs);
      return vs ? <RouteForm edge={t.edge} rule={t.rule} destination={t.destination} mirror={t.mirror} vs={vs} /> : null;
    }
    case 'entry':
      return <EntryForm edge={t.edge} virtualServices={t.virtualServices} />;
    case 'service':
      return <ServiceForm node={t.node} service={t.service} destinationRule={t.destinationRule} />;
    case 'subset':
      return <SubsetForm node={t.node} destinationRule={t.destinationRule} index={t.index} />;
    case 'gateway':
      return <GatewayForm node={t.node} gateway={t.gateway} />;
    case 'serviceEntry':
      return <ServiceEntryForm node={t.node} serviceEntry={t.serviceEntry} />;
    case 'client':
      return <ClientForm node={t.node} deployment={t.deployment} />;
    case 'mesh':
      return <Note>Rules of VirtualServices bound to the reserved gateway “mesh” run in every sidecar: select one of its routes to edit it.</Note>;
  }
}

function Problems({ list }: { list: LocatedMessage[] }) {
  return (
    <ul className="insp-problems" aria-label="Analyzer findings">
      {list.map((p, i) => (
        <li key={i} className={`level-${p.level.toLowerCase()}`}>
          <button type="button" className="insp-problem" onClick={() => revealField(p.key, p.path)} title="Show in the YAML">
            <span className="insp-problem-level">{p.level}</span> <span className="insp-problem-code">{p.code}</span> {p.message}
          </button>
          {p.fix ? (
            <button type="button" className="problem-fix" onClick={async () => announce(await applyFix(p.fix!))}>
              {p.fix.title}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function ResizeHandle({ width, setWidth }: { width: number; setWidth(w: number): void }) {
  const clamp = (w: number) => clampWidth(w, MIN_WIDTH, MAX_WIDTH);
  return (
    <div
      className="insp-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the inspector"
      aria-valuenow={width}
      aria-valuemin={MIN_WIDTH}
      aria-valuemax={MAX_WIDTH}
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') setWidth(clamp(width + 20));
        else if (e.key === 'ArrowRight') setWidth(clamp(width - 20));
        else return;
        e.preventDefault();
      }}
      onPointerDown={(e) => {
        const startX = e.clientX;
        const start = width;
        const el = e.currentTarget;
        el.setPointerCapture(e.pointerId);
        const move = (ev: PointerEvent) => setWidth(clamp(start + startX - ev.clientX));
        const up = () => {
          el.removeEventListener('pointermove', move);
          el.removeEventListener('pointerup', up);
        };
        el.addEventListener('pointermove', move);
        el.addEventListener('pointerup', up);
      }}
    />
  );
}
