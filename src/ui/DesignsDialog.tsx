/** The design switcher: every design saved in this browser; new, open, open a copy, rename, delete. */
import { useCallback, useEffect, useState } from 'react';
import { listDesigns, newDesign, openCopy, openDesign, openElsewhere, removeDesign, renameDesign, useDesigns } from '../store/autosave';
import type { DesignMeta } from '../store/designs';
import { closeDialog } from '../store/shareUi';
import { Modal } from './Modal';

const when = (t: number) => {
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 60) return 'saved just now';
  if (s < 3600) return `saved ${Math.round(s / 60)} min ago`;
  return `saved ${new Date(t).toLocaleString()}`;
};

function DesignRow({ design, current, busy, onChanged, onError }: { design: DesignMeta; current: boolean; busy: boolean; onChanged(): void; onError(m?: string): void }) {
  const [mode, setMode] = useState<'view' | 'rename' | 'delete'>('view');
  const [name, setName] = useState(design.name);
  const act = async (fn: () => Promise<string | undefined | void>, close = false) => {
    const problem = await fn();
    onError(problem || undefined);
    if (!problem && close) closeDialog();
    else onChanged();
  };
  if (mode === 'rename')
    return (
      <li className="design-row">
      <form
        className="design-rename"
        aria-label={`Rename ${design.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => renameDesign(design.id, name)).then(() => setMode('view'));
        }}
      >
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} aria-label="New name" autoFocus onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setMode('view'))} />
        <button type="submit" className="primary">
          Save name
        </button>
        <button type="button" onClick={() => setMode('view')}>
          Cancel
        </button>
      </form>
      </li>
    );
  return (
    <li className={`design-row ${current ? 'is-current' : ''}`} aria-label={design.name} aria-current={current ? 'true' : undefined}>
      <span className="design-name" title={design.name}>
        {design.name}
      </span>
      <span className="design-when">{current ? 'this tab' : busy ? 'open in another tab' : when(design.savedAt)}</span>
      {mode === 'delete' ? (
        <>
          <span>Delete for good?</span>
          <button type="button" className="danger" aria-label={`Confirm deleting ${design.name}`} onClick={() => void act(() => removeDesign(design.id))}>
            Delete
          </button>
          <button type="button" onClick={() => setMode('view')}>
            Keep
          </button>
        </>
      ) : (
        <>
          {current ? null : busy ? (
            <button type="button" aria-label={`Open a copy of ${design.name}`} onClick={() => void act(() => openCopy(design.id), true)}>
              Open a copy
            </button>
          ) : (
            <button type="button" aria-label={`Open ${design.name}`} onClick={() => void act(() => openDesign(design.id), true)}>
              Open
            </button>
          )}
          <button type="button" aria-label={`Rename ${design.name}`} onClick={() => setMode('rename')}>
            Rename
          </button>
          <button type="button" aria-label={`Delete ${design.name}`} disabled={current || busy} title={current ? 'This tab is editing it' : busy ? 'Open in another tab' : undefined} onClick={() => setMode('delete')}>
            Delete
          </button>
        </>
      )}
    </li>
  );
}

export function DesignsDialog() {
  const current = useDesigns((s) => s.current);
  const [designs, setDesigns] = useState<DesignMeta[]>();
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string>();
  const refresh = useCallback(() => {
    void Promise.all([listDesigns(), openElsewhere()]).then(([list, elsewhere]) => {
      setDesigns(list);
      setBusy(elsewhere);
    });
  }, []);
  useEffect(refresh, [refresh, current?.name]);
  return (
    <Modal title="Designs" onClose={closeDialog}>
      <p className="modal-lead">Designs are saved in this browser as you work. Each tab edits its own design; one open in another tab can be opened as a copy.</p>
      <div className="share-row">
        <button type="button" className="primary" onClick={() => void newDesign().then(closeDialog)}>
          New design
        </button>
      </div>
      {error ? (
        <p className="share-error" role="alert">
          {error}
        </p>
      ) : null}
      {designs ? (
        <ul className="design-list" aria-label="Saved designs">
          {designs.map((d) => (
            <DesignRow key={d.id} design={d} current={d.id === current?.id} busy={busy.has(d.id)} onChanged={refresh} onError={setError} />
          ))}
        </ul>
      ) : (
        <p className="share-meta">Loading…</p>
      )}
    </Modal>
  );
}
