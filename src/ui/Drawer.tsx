/**
 * The panel under the canvas: Problems, a request to simulate, or load to run, as tabs. Its top edge is a separator
 * (drag, arrow keys; Enter folds it) and a button folds it down to its tabs; both are view state in the store.
 */
import { useRef, type KeyboardEvent } from 'react';
import { LoadPanel } from '../sim/LoadPanel';
import { RequestPanel } from '../sim/RequestPanel';
import { useStore, type Drawer as DrawerTab } from '../store/store';
import { LIMITS } from '../store/view';
import { levelCounts, ProblemsPanel } from './ProblemsPanel';
import { Separator } from './Separator';

const TABS: DrawerTab[] = ['problems', 'request', 'load'];
/** The canvas keeps at least this much height above the drawer. */
const CANVAS_MIN = 140;

const setView = (patch: Parameters<ReturnType<typeof useStore.getState>['setView']>[0]) => useStore.getState().setView(patch);

export function Drawer() {
  const drawer = useStore((s) => s.drawer);
  const problems = useStore((s) => s.problems);
  const height = useStore((s) => s.view.drawerHeight);
  const collapsed = useStore((s) => s.view.drawerCollapsed);
  const box = useRef<HTMLElement>(null);
  if (!drawer) return null;
  const counts = levelCounts(problems);
  const labels: Record<DrawerTab, string> = { problems: `Problems ${counts.Error + counts.Warning + counts.Info}`, request: 'Send a request', load: 'Run load' };
  // Left and right arrows move between the tabs (the tabs pattern); Tab goes on into the panel.
  const onTabKey = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = TABS[(TABS.indexOf(drawer) + step + TABS.length) % TABS.length];
    useStore.getState().setDrawer(next);
    box.current?.querySelector<HTMLButtonElement>(`#tab-${next}`)?.focus();
  };
  const available = (box.current?.parentElement?.clientHeight ?? 900) - CANVAS_MIN;
  const max = Math.max(LIMITS.drawerHeight.min, Math.min(LIMITS.drawerHeight.max, available));
  const shown = Math.min(height, max);
  const toggle = () => setView({ drawerCollapsed: !collapsed });
  return (
    <section ref={box} className={`sim-drawer ${collapsed ? 'is-collapsed' : ''}`} aria-label={drawer === 'problems' ? 'Problems' : 'Simulation'} style={collapsed ? undefined : { height: shown }}>
      {collapsed ? null : (
        <Separator className="drawer-resize" label="Resize the panel" orientation="horizontal" grow="up" value={shown} min={LIMITS.drawerHeight.min} max={max} onChange={(drawerHeight) => setView({ drawerHeight })} onToggle={toggle} />
      )}
      <div className="sim-drawer-head">
        <div role="tablist" aria-label="Panels" className="drawer-tabs" onKeyDown={onTabKey}>
          {TABS.map((id) => (
            <button key={id} type="button" role="tab" aria-selected={drawer === id} aria-controls={`drawer-${id}`} id={`tab-${id}`} tabIndex={drawer === id ? 0 : -1} onClick={() => useStore.getState().setDrawer(id)}>
              {labels[id]}
            </button>
          ))}
        </div>
        <div className="drawer-buttons">
          <button type="button" aria-expanded={!collapsed} aria-label={collapsed ? 'Expand the panel' : 'Collapse the panel'} title={collapsed ? 'Expand the panel' : 'Collapse the panel (keep its tabs)'} onClick={toggle}>
            {collapsed ? '▴' : '▾'}
          </button>
          <button type="button" aria-label="Close panel" title="Close the panel" onClick={() => useStore.getState().setDrawer(null)}>
            ×
          </button>
        </div>
      </div>
      {collapsed ? null : (
        <div role="tabpanel" id={`drawer-${drawer}`} aria-labelledby={`tab-${drawer}`} className="drawer-body">
          {drawer === 'problems' ? <ProblemsPanel /> : drawer === 'load' ? <LoadPanel /> : <RequestPanel />}
        </div>
      )}
    </section>
  );
}
