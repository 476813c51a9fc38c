import { useRef, type ReactNode } from 'react';
import { useStore } from '../store/store';
import { LIMITS } from '../store/view';
import { Separator } from './Separator';

const setView = (patch: Parameters<ReturnType<typeof useStore.getState>['setView']>[0]) => useStore.getState().setView(patch);

/**
 * The canvas and the YAML editor side by side, with a separator between them (drag, arrow keys; Enter folds the
 * editor). The editor folds into a strip with a button that brings it back. Sizes live in the store's view state.
 */
export function SplitPane({ left, right }: { left: ReactNode; right: ReactNode }) {
  const percent = useStore((s) => s.view.canvasPercent);
  const collapsed = useStore((s) => s.view.editorCollapsed);
  const box = useRef<HTMLDivElement>(null);
  const toggle = () => setView({ editorCollapsed: !collapsed });
  return (
    <div className={`split ${collapsed ? 'is-editor-collapsed' : ''}`} ref={box}>
      <div className="split-pane" style={collapsed ? { flex: 1 } : { flexBasis: `${percent}%` }}>
        {left}
      </div>
      {collapsed ? null : (
        <Separator
          className="split-handle"
          label="Resize canvas and editor"
          orientation="vertical"
          grow="right"
          value={percent}
          {...LIMITS.canvasPercent}
          step={3}
          valueText={`canvas ${Math.round(percent)}% of the width`}
          perPixel={() => 100 / (box.current?.clientWidth || 1)}
          onChange={(canvasPercent) => setView({ canvasPercent })}
          onToggle={toggle}
        />
      )}
      <div className={`split-pane split-pane-right ${collapsed ? 'is-collapsed' : ''}`}>
        {collapsed ? (
          <button type="button" className="pane-expand" aria-expanded="false" aria-label="Show the YAML editor" title="Show the YAML editor" onClick={toggle}>
            ◂ <span>YAML</span>
          </button>
        ) : (
          <button type="button" className="pane-collapse editor-collapse" aria-expanded="true" aria-label="Hide the YAML editor" title="Hide the YAML editor (the canvas takes the width)" onClick={toggle}>
            ▸
          </button>
        )}
        {/* Kept mounted while folded: the editor keeps its undo history, cursor and scroll. */}
        <div className="split-pane-body" hidden={collapsed}>
          {right}
        </div>
      </div>
    </div>
  );
}
