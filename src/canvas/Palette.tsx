/**
 * The palette: drag an element onto the canvas or click it; a small form names it, and the command adds the
 * complete resources it implies. Also the dialog that asks how to reach an external service.
 */
import { Panel } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import type { EgressOptions } from '../model/edit';
import { KindIcon } from './icons';
import { PALETTE, type AddForm, type PaletteKind } from './designer';

export const PALETTE_MIME = 'application/x-meshcraft-kind';

export function Palette({ onAdd, disabled }: { onAdd(kind: PaletteKind): void; disabled: boolean }) {
  return (
    <Panel position="top-left" className="palette" aria-label="Palette">
      <div className="palette-title" aria-hidden="true">
        Add
      </div>
      {PALETTE.map((p) => (
        <button
          key={p.kind}
          type="button"
          className={`palette-item kind-${p.kind}`}
          draggable={!disabled}
          disabled={disabled}
          aria-label={`Add ${p.title}`}
          title={`${p.hint}. Drag onto the canvas or click.`}
          onClick={() => onAdd(p.kind)}
          onDragStart={(e) => {
            e.dataTransfer.setData(PALETTE_MIME, p.kind);
            e.dataTransfer.effectAllowed = 'copy';
          }}
        >
          <KindIcon kind={p.kind} />
          <span>{p.title}</span>
        </button>
      ))}
    </Panel>
  );
}

const FIELD_HINT: Partial<Record<PaletteKind, string>> = {
  ingress: 'Hosts the gateway accepts, comma-separated (* for any)',
  egress: 'External hosts the gateway lets out, comma-separated (* for any)',
  external: 'The external host name, e.g. api.payments.example',
};

/** The form for a new element: name and the few facts its resources need. */
export function AddDialog({ form: initial, error, onSubmit, onClose }: { form: AddForm; error?: string; onSubmit(f: AddForm): void; onClose(): void }) {
  const [f, setF] = useState(initial);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.select(), []);
  const title = PALETTE.find((p) => p.kind === f.kind)!.title;
  const set = (patch: Partial<AddForm>) => setF((x) => ({ ...x, ...patch }));
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="modal add-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="add-title"
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit(f);
        }}
      >
        <h2 id="add-title">
          <KindIcon kind={f.kind} /> New {title.toLowerCase()}
        </h2>
        <p className="dialog-hint">{PALETTE.find((p) => p.kind === f.kind)!.hint}.</p>
        <label>
          Name
          <input ref={first} aria-label="Name" value={f.name} onChange={(e) => set({ name: e.target.value })} spellCheck={false} required />
        </label>
        <label>
          Namespace
          <input aria-label="Namespace" value={f.namespace} onChange={(e) => set({ namespace: e.target.value })} spellCheck={false} required />
        </label>
        {f.kind === 'service' ? (
          <label>
            Versions <span className="field-hint" id="versions-hint">comma-separated; one Deployment and subset each</span>
            <input aria-label="Versions" aria-describedby="versions-hint" value={f.versions} onChange={(e) => set({ versions: e.target.value })} spellCheck={false} />
          </label>
        ) : null}
        {FIELD_HINT[f.kind] ? (
          <label>
            {f.kind === 'external' ? 'Host' : 'Hosts'} <span className="field-hint" id="hosts-hint">{FIELD_HINT[f.kind]}</span>
            <input aria-label={f.kind === 'external' ? 'Host' : 'Hosts'} aria-describedby="hosts-hint" value={f.hosts} onChange={(e) => set({ hosts: e.target.value })} spellCheck={false} required />
          </label>
        ) : null}
        {f.kind !== 'client' ? (
          <div className="field-row">
            <label>
              Port
              <input type="number" aria-label="Port" min={1} max={65535} value={f.port} onChange={(e) => set({ port: Number(e.target.value) })} />
            </label>
            {f.kind === 'external' ? (
              <label>
                Protocol
                <select aria-label="Protocol" value={f.protocol} onChange={(e) => set({ protocol: e.target.value as AddForm['protocol'], port: e.target.value === 'HTTPS' ? 443 : 80 })}>
                  <option>HTTP</option>
                  <option>HTTPS</option>
                </select>
              </label>
            ) : null}
          </div>
        ) : null}
        {error ? (
          <div className="dialog-error" role="alert">
            {error}
          </div>
        ) : null}
        <div className="modal-actions">
          <button type="submit" className="primary">
            Add {title.toLowerCase()}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

/** Asked when a workload is connected to an external service: through the egress gateway (and originate TLS?) or directly. */
export function ConnectDialog({ from, to, onConnect, onClose }: { from: string; to: string; onConnect(o: EgressOptions): void; onClose(): void }) {
  const [direct, setDirect] = useState(false);
  const [tls, setTls] = useState(false);
  const ok = useRef<HTMLButtonElement>(null);
  useEffect(() => ok.current?.focus(), []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal connect-dialog" role="dialog" aria-modal="true" aria-labelledby="connect-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <h2 id="connect-title">
          Connect {from} → {to}
        </h2>
        <fieldset>
          <legend>How do requests leave the mesh?</legend>
          <label>
            <input type="radio" name="egress" checked={!direct} onChange={() => setDirect(false)} /> Through the egress gateway <span className="field-hint">one controlled exit: Gateway, DestinationRule and a VirtualService with two routes</span>
          </label>
          <label>
            <input type="radio" name="egress" checked={direct} onChange={() => setDirect(true)} /> Directly from the sidecar <span className="field-hint">a rule for this caller in the host's VirtualService</span>
          </label>
        </fieldset>
        <label className={direct ? 'is-disabled' : ''}>
          <input type="checkbox" checked={tls && !direct} disabled={direct} onChange={(e) => setTls(e.target.checked)} /> Originate TLS at the egress gateway <span className="field-hint">the app sends plain HTTP; the gateway calls the host on 443 with TLS</span>
        </label>
        <div className="modal-actions">
          <button type="button" className="primary" ref={ok} onClick={() => onConnect({ direct, tlsOrigination: tls && !direct })}>
            Connect
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
