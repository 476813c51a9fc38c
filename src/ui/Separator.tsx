/**
 * A window splitter (WAI-ARIA `separator`, focusable): drag it, or focus it and use the arrow keys (Shift for big
 * steps), Home and End; Enter collapses or expands the pane when `onToggle` is given. `value` is the size of the pane
 * it resizes; `grow` says which way the pointer moves to make that pane larger.
 */
import type { KeyboardEvent, PointerEvent } from 'react';

export interface SeparatorProps {
  label: string;
  /** `vertical`: a bar between panes side by side; `horizontal`: between panes one above the other. */
  orientation: 'vertical' | 'horizontal';
  value: number;
  min: number;
  max: number;
  /** Units per arrow key press. */
  step?: number;
  /** The pane grows when the pointer moves towards this side. */
  grow: 'left' | 'right' | 'up' | 'down';
  /** Units per pixel of pointer movement (e.g. 100 / width for a percentage). */
  perPixel?: () => number;
  onChange(value: number): void;
  onToggle?(): void;
  className?: string;
  valueText?: string;
}

export function Separator({ label, orientation, value, min, max, step = 20, grow, perPixel, onChange, onToggle, className, valueText }: SeparatorProps) {
  const clamp = (v: number) => Math.min(max, Math.max(min, v));
  const sign = grow === 'right' || grow === 'down' ? 1 : -1;
  const onKeyDown = (e: KeyboardEvent) => {
    const by = e.shiftKey ? step * 4 : step;
    const keys: Record<string, number | undefined> =
      orientation === 'vertical' ? { ArrowRight: value + sign * by, ArrowLeft: value - sign * by } : { ArrowDown: value + sign * by, ArrowUp: value - sign * by };
    if (e.key in keys) onChange(clamp(keys[e.key]!));
    else if (e.key === 'Home') onChange(min);
    else if (e.key === 'End') onChange(max);
    else if (e.key === 'Enter' && onToggle) onToggle();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    const el = e.currentTarget;
    el.focus();
    el.setPointerCapture(e.pointerId);
    const start = orientation === 'vertical' ? e.clientX : e.clientY;
    const from = value;
    const scale = perPixel?.() ?? 1;
    const move = (ev: globalThis.PointerEvent) => onChange(clamp(from + sign * ((orientation === 'vertical' ? ev.clientX : ev.clientY) - start) * scale));
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  };
  return (
    <div
      className={`separator separator-${orientation} ${className ?? ''}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={Math.round(value)}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuetext={valueText}
      tabIndex={0}
      title={onToggle ? `${label}: drag, or arrow keys; Enter collapses` : `${label}: drag, or arrow keys`}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
    />
  );
}
