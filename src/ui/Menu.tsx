/** A toolbar menu button: Enter/Space/ArrowDown opens it, arrows move, Escape or a click outside closes it. */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuItem {
  label: string;
  /** Accessible name when the visible label is not enough. */
  ariaLabel?: string;
  onSelect(): void;
  disabled?: boolean;
}

export function Menu({ label, ariaLabel, items }: { label: string; ariaLabel: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const id = useId();
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    root.current?.querySelector<HTMLButtonElement>('[role="menuitem"]:not(:disabled)')?.focus();
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  const onKey = (e: KeyboardEvent) => {
    const entries = [...(root.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      setOpen(false);
      root.current?.querySelector<HTMLButtonElement>('.menu-button')?.focus();
    } else if (e.key === 'ArrowDown' && open) entries[(at + 1) % entries.length]?.focus();
    else if (e.key === 'ArrowUp' && open) entries[(at - 1 + entries.length) % entries.length]?.focus();
    else if (e.key === 'ArrowDown') setOpen(true);
    else return;
    e.preventDefault();
  };
  return (
    <div className="menu" ref={root} onKeyDown={onKey}>
      <button type="button" className="menu-button" aria-label={ariaLabel} aria-haspopup="menu" aria-expanded={open} aria-controls={open ? id : undefined} onClick={() => setOpen((o) => !o)}>
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div className="menu-list" role="menu" id={id} aria-label={ariaLabel}>
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              aria-label={item.ariaLabel}
              disabled={item.disabled}
              onClick={() => {
                setOpen(false);
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
