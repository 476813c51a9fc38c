import { useCallback, useRef, useState, type ReactNode } from 'react';

/** Two panes side by side with a draggable, keyboard-operable separator. */
export function SplitPane({ left, right, initial = 0.58 }: { left: ReactNode; right: ReactNode; initial?: number }) {
  const [ratio, setRatio] = useState(initial);
  const box = useRef<HTMLDivElement>(null);
  const clamp = (r: number) => Math.min(0.85, Math.max(0.2, r));
  const onPointerDown = useCallback((e: React.PointerEvent) => {
    e.preventDefault();
    const el = box.current;
    if (!el) return;
    const rect = el.getBoundingClientRect();
    const move = (ev: PointerEvent) => setRatio(clamp((ev.clientX - rect.left) / rect.width));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }, []);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowLeft') setRatio((r) => clamp(r - 0.03));
    if (e.key === 'ArrowRight') setRatio((r) => clamp(r + 0.03));
  };
  return (
    <div className="split" ref={box}>
      <div className="split-pane" style={{ flexBasis: `${ratio * 100}%` }}>
        {left}
      </div>
      <div
        className="split-handle"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize canvas and editor"
        aria-valuenow={Math.round(ratio * 100)}
        aria-valuemin={20}
        aria-valuemax={85}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onKeyDown={onKeyDown}
      />
      <div className="split-pane split-pane-right">{right}</div>
    </div>
  );
}
