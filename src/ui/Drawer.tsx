/** The panel under the canvas: Problems, a request to simulate, or load to run, as tabs. */
import { LoadPanel } from '../sim/LoadPanel';
import { RequestPanel } from '../sim/RequestPanel';
import { useStore, type Drawer as DrawerTab } from '../store/store';
import { levelCounts, ProblemsPanel } from './ProblemsPanel';

export function Drawer() {
  const drawer = useStore((s) => s.drawer);
  const problems = useStore((s) => s.problems);
  if (!drawer) return null;
  const counts = levelCounts(problems);
  const tab = (id: DrawerTab, label: string) => (
    <button type="button" role="tab" aria-selected={drawer === id} aria-controls={`drawer-${id}`} id={`tab-${id}`} onClick={() => useStore.getState().setDrawer(id)}>
      {label}
    </button>
  );
  return (
    <section className="sim-drawer" aria-label={drawer === 'problems' ? 'Problems' : 'Simulation'}>
      <div className="sim-drawer-head">
        <div role="tablist" aria-label="Panels" className="drawer-tabs">
          {tab('problems', `Problems ${counts.Error + counts.Warning + counts.Info}`)}
          {tab('request', 'Send a request')}
          {tab('load', 'Run load')}
        </div>
        <button type="button" aria-label="Close panel" onClick={() => useStore.getState().setDrawer(null)}>
          ×
        </button>
      </div>
      <div role="tabpanel" id={`drawer-${drawer}`} aria-labelledby={`tab-${drawer}`} className="drawer-body">
        {drawer === 'problems' ? <ProblemsPanel /> : drawer === 'load' ? <LoadPanel /> : <RequestPanel />}
      </div>
    </section>
  );
}
