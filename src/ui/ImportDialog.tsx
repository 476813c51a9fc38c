import { useEffect, useRef } from 'react';
import { applyImport, type ImportCandidate } from '../store/importDesign';

/** Replace or merge: shows what is coming in and what clashes with the current design. */
export function ImportDialog({ candidate, onClose }: { candidate: ImportCandidate; onClose(): void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const total = candidate.keys.length;
  const kinds = Object.entries(candidate.kinds)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const act = (mode: 'replace' | 'merge') => {
    applyImport(candidate, mode);
    onClose();
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="import-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <h2 id="import-title">Import YAML</h2>
        <p>
          From {candidate.source}: {total ? `${total} resource${total > 1 ? 's' : ''} (${kinds})` : 'no resources'}.
        </p>
        {candidate.errors.length ? (
          <div className="modal-errors" role="alert">
            <strong>This YAML has problems; it can still be imported and fixed in the editor:</strong>
            <ul>
              {candidate.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {candidate.clashes.length ? (
          <div className="modal-clashes" aria-label="Name clashes">
            <strong>
              {candidate.clashes.length} name clash{candidate.clashes.length > 1 ? 'es' : ''} with the current design
            </strong>{' '}
            — merging appends the imported definitions, which replace these (as kubectl apply would):
            <ul>
              {candidate.clashes.slice(0, 12).map((c) => (
                <li key={c}>{c}</li>
              ))}
              {candidate.clashes.length > 12 ? <li>… and {candidate.clashes.length - 12} more</li> : null}
            </ul>
          </div>
        ) : null}
        <div className="modal-actions">
          <button type="button" ref={first} onClick={() => act('replace')}>
            Replace design
          </button>
          <button type="button" onClick={() => act('merge')}>
            Merge into design
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
        <p className="modal-hint">Either way, Ctrl+Z in the editor takes it back.</p>
      </div>
    </div>
  );
}
