/**
 * A form column beside the content it produces (the request form beside the trace, the load form beside the
 * results): resizable by a separator (drag, arrow keys; Enter folds it) and folded into a strip by a labelled button.
 * Its width and folded state are view state in the store (kept across panels and reloads).
 */
import type { ReactNode } from 'react';
import { useStore } from '../store/store';
import { LIMITS, type ViewState } from '../store/view';
import { Separator } from './Separator';

type Keys = { width: 'requestFormWidth' | 'loadFormWidth'; collapsed: 'requestFormCollapsed' | 'loadFormCollapsed' };

export function SidePane({ keys, name, side, children, className }: { keys: Keys; name: string; side: ReactNode; children: ReactNode; className: string }) {
  const width = useStore((s) => s.view[keys.width]);
  const collapsed = useStore((s) => s.view[keys.collapsed]);
  const set = (patch: Partial<ViewState>) => useStore.getState().setView(patch);
  const toggle = () => set({ [keys.collapsed]: !collapsed });
  return (
    <div className={`side-pane ${className}`} style={{ gridTemplateColumns: collapsed ? '30px 1fr' : `${width}px auto minmax(0, 1fr)` }}>
      {collapsed ? (
        <button type="button" className="pane-expand" aria-expanded="false" aria-label={`Show the ${name}`} title={`Show the ${name}`} onClick={toggle}>
          ▸ <span>{name[0].toUpperCase() + name.slice(1)}</span>
        </button>
      ) : (
        <>
          <div className="side-pane-side">
            <button type="button" className="pane-collapse side-collapse" aria-expanded="true" aria-label={`Hide the ${name}`} title={`Hide the ${name}`} onClick={toggle}>
              ◂
            </button>
            {side}
          </div>
          <Separator label={`Resize the ${name}`} orientation="vertical" grow="right" value={width} {...LIMITS[keys.width]} onChange={(w) => set({ [keys.width]: w })} onToggle={toggle} />
        </>
      )}
      {children}
    </div>
  );
}
