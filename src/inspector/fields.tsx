/**
 * The inspector's inputs. Each shows the model's current value, keeps what the user types as a draft, and commits
 * it on Enter or blur (selects: on change) after checking it, so that each edit is one command and one undo step.
 * Escape puts the model's value back. Focusing a field reveals its YAML.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { Command } from '../model/edit';
import type { FieldPath, ResourceKey } from '../model/resource';
import { announce, runCommand, type EditOutcome } from '../store/edit';
import { handleHistoryKey } from '../store/history';
import { revealField } from '../store/reveal';
import { show, type Parser } from './values';

/** Run a command through the edit layer and say what it did (or why not) in the status bar. */
export async function edit(command: Command): Promise<EditOutcome> {
  const outcome = await runCommand(command);
  announce(outcome);
  return outcome;
}

/**
 * Ctrl+Z / Ctrl+Shift+Z in a field with nothing typed since its last commit walks the design's history (the edit
 * it just made), as on the canvas; with a draft pending, the field's own text undo applies.
 */
export function historyKey(e: React.KeyboardEvent, pending: boolean) {
  if (pending || !(e.ctrlKey || e.metaKey) || !/^[zy]$/i.test(e.key)) return;
  // Monaco's undo command undoes the focused text field when there is one: step out of it for the moment.
  const field = e.currentTarget as HTMLElement;
  field.blur();
  handleHistoryKey(e);
  field.focus();
}

export type Commit<T> = (value: T | undefined) => Promise<EditOutcome | void> | EditOutcome | void;
/** Where a field lives in the YAML, for "reveal on focus". */
export type At = readonly [ResourceKey, FieldPath] | undefined;

const reveal = (at: At) => at && revealField(at[0], at[1]);
/** `spec.trafficPolicy.tls.mode`: a label's tooltip, for those who know the YAML. */
const yamlPath = (at: At) => at && at[1].map((p, i) => (typeof p === 'number' ? `[${p}]` : (i ? '.' : '') + p)).join('');

interface TextFieldProps<T> {
  label: string;
  /** The accessible name, when it must say more than the visible label. */
  name?: string;
  value: unknown;
  format?: (v: unknown) => string;
  parse: Parser<T>;
  onCommit: Commit<T>;
  at?: At;
  placeholder?: string;
  hint?: string;
  wide?: boolean;
  multiline?: boolean;
  inputMode?: 'numeric' | 'decimal' | 'text';
}

/** A text input that commits a parsed value on Enter/blur; invalid input shows why and writes nothing. */
export function TextField<T>({ label, name, value, format = show, parse, onCommit, at, placeholder, hint, wide, multiline, inputMode }: TextFieldProps<T>) {
  const shown = format(value);
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string>();
  const id = useId();
  useEffect(() => {
    setDraft(shown);
    setError(undefined);
  }, [shown]);
  const commit = async () => {
    if (draft === shown) return setError(undefined);
    const parsed = parse(draft);
    if (!parsed.ok) return setError(parsed.error);
    setError(undefined);
    const outcome = await onCommit(parsed.value);
    if (outcome && !outcome.ok) {
      setError(outcome.error);
      setDraft(shown);
    }
  };
  const props = {
    id,
    value: draft,
    placeholder,
    inputMode,
    'aria-label': name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-err` : hint ? `${id}-hint` : undefined,
    onChange: (e: { target: { value: string } }) => setDraft(e.target.value),
    onFocus: () => reveal(at),
    onBlur: () => void commit(),
    onKeyDown: (e: React.KeyboardEvent) => {
      historyKey(e, draft !== shown);
      if (e.key === 'Enter' && !(multiline && e.shiftKey)) {
        e.preventDefault();
        void commit();
      } else if (e.key === 'Escape') {
        setDraft(shown);
        setError(undefined);
      }
    },
  };
  return (
    <div className={`insp-field${wide ? ' is-wide' : ''}${error ? ' has-error' : ''}`}>
      <label htmlFor={id} title={yamlPath(at)}>
        {label}
      </label>
      {multiline ? <textarea rows={2} {...props} /> : <input type="text" spellCheck={false} autoComplete="off" {...props} />}
      {error ? (
        <span className="insp-error" id={`${id}-err`} role="alert">
          {error}
        </span>
      ) : hint ? (
        <span className="insp-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

interface SelectFieldProps {
  label: string;
  name?: string;
  value: string;
  options: readonly (string | readonly [string, string])[];
  onCommit: Commit<string>;
  at?: At;
  wide?: boolean;
  hint?: string;
}

/** A select that commits on change; `''` is "not set" (removes the field). */
export function SelectField({ label, name, value, options, onCommit, at, wide, hint }: SelectFieldProps) {
  const id = useId();
  const [error, setError] = useState<string>();
  const known = options.some((o) => (typeof o === 'string' ? o : o[0]) === value);
  return (
    <div className={`insp-field${wide ? ' is-wide' : ''}${error ? ' has-error' : ''}`}>
      <label htmlFor={id} title={yamlPath(at)}>
        {label}
      </label>
      <select
        id={id}
        aria-label={name}
        value={value}
        onFocus={() => reveal(at)}
        onKeyDown={(e) => historyKey(e, false)}
        onChange={async (e) => {
          const outcome = await onCommit(e.target.value || undefined);
          setError(outcome && !outcome.ok ? outcome.error : undefined);
        }}
      >
        {known ? null : <option value={value}>{value}</option>}
        {options.map((o) => {
          const [v, text] = typeof o === 'string' ? [o, o || '(not set)'] : o;
          return (
            <option key={v} value={v}>
              {text}
            </option>
          );
        })}
      </select>
      {error ? (
        <span className="insp-error" role="alert">
          {error}
        </span>
      ) : hint ? (
        <span className="insp-hint">{hint}</span>
      ) : null}
    </div>
  );
}

/** A titled part of a form; folds away when `fold` is given (open when it holds something). */
export function Section({ title, at, fold, children, actions }: { title: string; at?: At; fold?: { open: boolean }; children: ReactNode; actions?: ReactNode }) {
  const head = (
    <>
      <span className="insp-section-title">{title}</span>
      {actions}
      {at ? <YamlLink at={at} what={title} /> : null}
    </>
  );
  if (fold) {
    return (
      <details className="insp-section" open={fold.open || undefined}>
        <summary>{head}</summary>
        <div className="insp-section-body">{children}</div>
      </details>
    );
  }
  return (
    <section className="insp-section" aria-label={title}>
      <h3>{head}</h3>
      <div className="insp-section-body">{children}</div>
    </section>
  );
}

/** "⤴ YAML": reveal and select these lines in the editor. */
export function YamlLink({ at, what }: { at: NonNullable<At>; what: string }) {
  return (
    <button
      type="button"
      className="insp-yaml"
      title="Show in the YAML"
      aria-label={`Show ${what} in the YAML`}
      onClick={(e) => {
        e.preventDefault();
        reveal(at);
      }}
    >
      ⤴ YAML
    </button>
  );
}

/** A small button for list rows (remove, move). */
export function IconButton({ label, onClick, children, disabled }: { label: string; onClick(): void; children: ReactNode; disabled?: boolean }) {
  return (
    <button type="button" className="insp-icon" aria-label={label} title={label} onClick={onClick} disabled={disabled}>
      {children}
    </button>
  );
}

export const Note = ({ children }: { children: ReactNode }) => <p className="insp-note">{children}</p>;
