/** Send a request and see, step by step, where it went and why; the path lights up on the canvas. */
import { useMemo, useState, type FormEvent } from 'react';
import { requestPresets, sourceChoices } from '../engine/presets';
import { buildModel } from '../model/model';
import { sendRequest } from '../store/simulation';
import { SidePane } from '../ui/SidePane';
import { useStore } from '../store/store';
import { parseHeaders, sourceKey, toForm, type RequestForm } from './requestForm';
import { TraceView } from './TraceView';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

export function RequestPanel() {
  const resources = useStore((s) => s.resources);
  const tracing = useStore((s) => s.tracing);
  const model = useMemo(() => buildModel(resources), [resources]);
  const sources = useMemo(() => sourceChoices(model), [model]);
  const presets = useMemo(() => requestPresets(model), [model]);
  // What was typed stays in the store (another tab of the drawer unmounts this panel); until then, the first preset.
  const kept = useStore((s) => s.requestForm);
  const form: RequestForm = kept ?? (presets[0] ? toForm(presets[0].input) : { source: sources[0] ? sourceKey(sources[0].source) : '', method: 'GET', authority: '', port: '', path: '/', headers: '' });
  const setForm = (requestForm: RequestForm) => useStore.setState({ requestForm });
  const [formError, setFormError] = useState<string>();
  const set = (k: keyof RequestForm) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (useStore.getState().tracing) return;
    const source = sources.find((s) => sourceKey(s.source) === form.source)?.source;
    const headers = parseHeaders(form.headers);
    const port = form.port.trim() ? Number(form.port) : undefined;
    if (!source) return setFormError('Choose where the request comes from.');
    if (!form.authority.trim()) return setFormError('Give the host the request is for (the Host header).');
    if (typeof headers === 'string') return setFormError(headers);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) return setFormError('The port must be a number from 1 to 65535.');
    setFormError(undefined);
    void sendRequest({ source, request: { protocol: 'http', method: form.method, authority: form.authority.trim(), port, path: form.path || '/', headers } });
  };

  const requestForm = (
    <form className="request-form" aria-label="Request" onSubmit={submit}>
      <label className="wide">
        Preset
        <select
          aria-label="Preset"
          value=""
          onChange={(e) => {
            const p = presets[Number(e.target.value)];
            if (p) setForm(toForm(p.input));
          }}
        >
          <option value="">{presets.length ? `Choose one of ${presets.length} requests from the design's routes…` : 'No routes to derive requests from'}</option>
          {presets.map((p, i) => (
            <option key={p.label} value={i}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <select aria-label="Source" value={form.source} onChange={set('source')}>
          {sources.map((s) => (
            <option key={sourceKey(s.source)} value={sourceKey(s.source)}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label className="narrow">
        Method
        <select aria-label="Method" value={form.method} onChange={set('method')}>
          {METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </label>
      <label>
        Host
        <input aria-label="Host" value={form.authority} onChange={set('authority')} placeholder="reviews or shop.example.com" spellCheck={false} />
      </label>
      <label className="narrow">
        Port
        <input aria-label="Port" value={form.port} onChange={set('port')} inputMode="numeric" placeholder="auto" />
      </label>
      <label>
        Path
        <input aria-label="Path" value={form.path} onChange={set('path')} spellCheck={false} />
      </label>
      <label className="wide">
        Headers
        <textarea aria-label="Headers" value={form.headers} onChange={set('headers')} rows={2} placeholder="end-user: jason" spellCheck={false} />
      </label>
      <div className="request-actions">
        {/* aria-disabled, not disabled: the button keeps the keyboard focus while the request is on its way. */}
        <button type="submit" className="primary" aria-disabled={tracing}>
          {tracing ? 'Sending…' : 'Send request'}
        </button>
        {formError ? (
          <span className="form-error" role="alert">
            {formError}
          </span>
        ) : null}
      </div>
    </form>
  );

  return (
    <SidePane keys={{ width: 'requestFormWidth', collapsed: 'requestFormCollapsed' }} name="request form" className="request-panel" side={requestForm}>
      <TraceView />
    </SidePane>
  );
}

