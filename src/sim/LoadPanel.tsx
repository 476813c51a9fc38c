/**
 * Run load: how many requests, how fast, over how many connections, which requests (the design's route presets with
 * shares), and how the upstream workloads behave. Runs in the simulation worker with a progress bar and Cancel;
 * results (LoadResults) stay until cleared, also when switching tabs.
 */
import { memo, useCallback, useEffect, useMemo, useRef, type FormEvent } from 'react';
import { requestPresets } from '../engine/presets';
import { buildModel } from '../model/model';
import { useStore } from '../store/store';
import { defaultLoadForm, MAX_MIX, mixPercents, type LoadForm, type MixRow, type UpstreamRow } from './loadForm';
import { LoadResults } from './LoadResults';
import { SidePane } from '../ui/SidePane';
import './load.css';

const setForm = (patch: Partial<LoadForm>) => {
  const { loadForm, setLoadForm } = useStore.getState();
  if (loadForm) setLoadForm({ ...loadForm, ...patch });
};
const resetForm = () => useStore.getState().setLoadForm(defaultLoadForm(buildModel(useStore.getState().resources)));

function Field({ label, value, onChange, placeholder, hint }: { label: string; value: string; onChange(v: string): void; placeholder?: string; hint?: string }) {
  return (
    <label className="load-field" title={hint}>
      {label}
      <input value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} inputMode="numeric" spellCheck={false} aria-label={label} />
    </label>
  );
}

const MixTable = memo(function MixTable({ mix }: { mix: MixRow[] }) {
  const pct = mixPercents(mix);
  const set = (i: number, share: string) => setForm({ mix: mix.map((m, j) => (j === i ? { ...m, share } : m)) });
  const only = (i: number) => setForm({ mix: mix.map((m, j) => ({ ...m, share: j === i ? '1' : '0' })) });
  if (!mix.length) return <p className="load-note">The design has no routes to derive requests from.</p>;
  return (
    <table className="load-table mix-table" aria-label="Traffic mix">
      <thead>
        <tr>
          <th scope="col">Request</th>
          <th scope="col">Share</th>
          <th scope="col" aria-label="Percent of the mix">%</th>
          <th scope="col" aria-label="Only this request" />
        </tr>
      </thead>
      <tbody>
        {mix.map((m, i) => (
          <tr key={m.label} className={pct[i] ? undefined : 'is-off'}>
            <th scope="row" title={m.label}>
              {m.label}
            </th>
            <td>
              <input className="num" value={m.share} onChange={(e) => set(i, e.target.value)} inputMode="numeric" aria-label={`Share of ${m.label}`} />
            </td>
            <td className="num">{pct[i] ? `${pct[i].toFixed(pct[i] < 10 ? 1 : 0)}%` : '—'}</td>
            <td>
              <button type="button" className="link" onClick={() => only(i)} aria-label={`Only ${m.label}`} title="Send only this request">
                only
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});

const UpstreamTable = memo(function UpstreamTable({ rows }: { rows: UpstreamRow[] }) {
  const set = (i: number, patch: Partial<UpstreamRow>) => setForm({ upstream: rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  return (
    <table className="load-table" aria-label="Upstream behaviour">
      <thead>
        <tr>
          <th scope="col">Workload</th>
          <th scope="col">Latency ms</th>
          <th scope="col">Errors %</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={r.workload}>
            <th scope="row">{r.workload}</th>
            <td>
              <input className="num" value={r.latencyMs} placeholder="1" onChange={(e) => set(i, { latencyMs: e.target.value })} aria-label={`Latency of ${r.workload} in ms`} />
            </td>
            <td>
              <input className="num" value={r.errorRate} placeholder="0" onChange={(e) => set(i, { errorRate: e.target.value })} aria-label={`Error rate of ${r.workload} in percent`} />
            </td>
            <td>
              <input className="num" value={r.errorStatus} placeholder="503" onChange={(e) => set(i, { errorStatus: e.target.value })} aria-label={`Error status of ${r.workload}`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});

function Progress() {
  const p = useStore((s) => s.loadProgress);
  const done = p?.requestsDone ?? 0;
  const total = p?.requestsTotal ?? null;
  const pct = p?.fraction != null ? Math.round(p.fraction * 100) : undefined;
  return (
    <div className="load-progress">
      <div role="progressbar" aria-label="Load progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-valuetext={`${done.toLocaleString('en-US')} of ${total?.toLocaleString('en-US') ?? '?'} requests`} className="progress-track">
        <div className="progress-fill" style={{ width: `${pct ?? 0}%` }} />
      </div>
      <span className="load-note">
        {done.toLocaleString('en-US')}
        {total ? ` / ${total.toLocaleString('en-US')}` : ''} requests
      </span>
    </div>
  );
}

/** The design's routes are no longer those of the mix (it was edited since): the mix may send requests that no longer exist. */
function useMixOutdated(form: LoadForm): boolean {
  const resources = useStore((s) => s.resources);
  return useMemo(() => {
    const now = requestPresets(buildModel(resources), MAX_MIX).map((p) => p.label);
    return now.length !== form.mix.length || now.some((l, i) => l !== form.mix[i].label);
  }, [resources, form.mix]);
}

function LoadFormView({ form }: { form: LoadForm }) {
  const outdated = useMixOutdated(form);
  const status = useStore((s) => s.loadStatus);
  const errors = useStore((s) => s.loadErrors);
  const running = status === 'running';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!running) void useStore.getState().runLoad();
  };
  const runButton = useRef<HTMLButtonElement>(null);
  // Cancel goes away when the run ends (cancelled or done): if it had the focus, Run takes it, not the page.
  const handFocusToRun = useCallback((el: HTMLButtonElement | null) => {
    if (!el) return;
    return () => {
      if (document.activeElement === el) queueMicrotask(() => runButton.current?.focus());
    };
  }, []);
  return (
    <form className="load-form" aria-label="Load" onSubmit={submit}>
      <div className="load-fields">
        <Field label="Requests" value={form.count} onChange={(count) => setForm({ count })} hint="Total requests to send (fortio -n)" />
        <Field label="QPS" value={form.qps} onChange={(qps) => setForm({ qps })} placeholder="max" hint="Requests per second over all connections; blank: as fast as possible" />
        <Field label="Concurrency" value={form.concurrency} onChange={(concurrency) => setForm({ concurrency })} hint="Client connections (fortio -c)" />
        <Field label="Seed" value={form.seed} onChange={(seed) => setForm({ seed })} hint="The same seed gives the same run" />
      </div>
      <div className="load-actions">
        {/* aria-disabled, not disabled: a keyboard user keeps the focus on Run while the load runs. */}
        <button ref={runButton} type="submit" className="primary" aria-disabled={running}>
          {running ? 'Running…' : 'Run load'}
        </button>
        {running ? (
          <button ref={handFocusToRun} type="button" onClick={() => useStore.getState().cancelLoad()}>
            Cancel
          </button>
        ) : null}
        {running ? <Progress /> : status === 'cancelled' ? <span className="load-note" role="status">Cancelled; the design is unchanged.</span> : null}
      </div>
      {errors.length && (status === 'invalid' || status === 'failed') ? (
        <ul className="form-error" role="alert">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      <div className="load-section-head">
        <h3>Traffic mix</h3>
        <button type="button" className="link" onClick={resetForm}>
          Reset from design
        </button>
      </div>
      {outdated ? <p className="trace-stale">The design’s routes changed since this mix was made: reset it from the design to update.</p> : null}
      <MixTable mix={form.mix} />
      <details className="load-upstream">
        <summary>Upstream behaviour ({form.upstream.filter((u) => u.latencyMs || u.errorRate).length || 'defaults'})</summary>
        <UpstreamTable rows={form.upstream} />
      </details>
    </form>
  );
}

export function LoadPanel() {
  const form = useStore((s) => s.loadForm);
  const hasDesign = useStore((s) => s.resources.length > 0);
  useEffect(() => {
    if (!form && hasDesign) resetForm();
  }, [form, hasDesign]);
  return (
    <SidePane keys={{ width: 'loadFormWidth', collapsed: 'loadFormCollapsed' }} name="load form" className="load-panel" side={form ? <LoadFormView form={form} /> : <div className="load-form load-note">Load a design to run traffic through it.</div>}>
      <LoadResults />
    </SidePane>
  );
}
