/**
 * The Inspector: a panel docked at the right of the canvas with the form for the selected node or edge. It shows
 * the analyzer's messages about it first; every field edits the YAML through the command layer (one undo step
 * each). It sits beside the canvas and takes its width from it; collapsible and resizable (its edge is a separator).
 */
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { LocatedMessage } from '../analysis/types';
import { applyFix, announce } from '../store/edit';
import { revealField } from '../store/reveal';
import { useStore } from '../store/store';
import { LIMITS, type ViewState } from '../store/view';
import { Separator } from '../ui/Separator';
import { ClientForm } from './ClientForm';
import { EntryForm } from './EntryForm';
import { Note } from './fields';
import { GatewayForm } from './GatewayForm';
import { RouteForm } from './RouteForm';
import { ServiceEntryForm } from './ServiceEntryForm';
import { ServiceForm } from './ServiceForm';
import { SubsetForm } from './SubsetForm';
import { problemsFor, resolveTarget, type Target } from './target';
import { useKeepInView } from './useKeepInView';
import { isObj } from './values';

const setView = (patch: Partial<ViewState>) => useStore.getState().setView(patch);

export function Inspector() {
  const selection = useStore((s) => s.selection);
  const graph = useStore((s) => s.graph);
  const resources = useStore((s) => s.resources);
  const stale = useStore((s) => s.stale);
  const allProblems = useStore((s) => s.problems);
  const collapsed = useStore((s) => s.view.inspectorCollapsed);
  const width = useStore((s) => s.view.inspectorWidth);
  /** Set when the user folds or unfolds the dock: the button that undoes it takes the focus. */
  const toggled = useRef(false);
  const setCollapsed = (c: boolean) => {
    toggled.current = true;
    setView({ inspectorCollapsed: c });
  };
  useEffect(() => {
    if (!toggled.current) return;
    toggled.current = false;
    ref.current?.querySelector<HTMLButtonElement>(collapsed ? '.insp-expand' : '.insp-head button')?.focus();
  }, [collapsed]);
  const ref = useRef<HTMLElement>(null);
  const target = useMemo(() => resolveTarget(graph, selection), [graph, selection]);
  const problems = useMemo(() => (target ? problemsFor(graph, target, allProblems) : []), [graph, target, allProblems]);

  // The dock takes its width from the canvas: a selection it pushed out of sight pans back into view.
  useKeepInView(selection, !!target && !collapsed);

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
      <Separator
        className="insp-resize"
        label="Resize the inspector"
        orientation="vertical"
        grow="left"
        value={width}
        {...LIMITS.inspectorWidth}
        onChange={(inspectorWidth) => setView({ inspectorWidth })}
        onToggle={() => setCollapsed(true)}
      />
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
