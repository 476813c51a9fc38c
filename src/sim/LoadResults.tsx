/**
 * The results of the last load run: a summary line, what-if controls, shares per subset, status codes, flags,
 * latency percentiles, charts, Envoy-like stats and ejections; optionally side by side with the previous run.
 */
import { memo } from 'react';
import type { SimResult } from '../engine/sim/types';
import { formatMs, formatPct } from '../canvas/traffic';
import type { LoadRun } from '../store/load';
import { useStore } from '../store/store';
import { LoadCharts } from './LoadCharts';
import { LIMITS } from '../store/view';
import { Separator } from '../ui/Separator';
import { compareRuns, errorRate, FLAG_NAMES, shortHost, statRows, statusRows, subsetShares } from './results';
import { WhatIfPanel } from './WhatIfPanel';

const n = (x: number) => x.toLocaleString('en-US');

function Summary({ run }: { run: LoadRun }) {
  const r = run.result;
  const seconds = r.simulatedMs / 1000;
  const lat = r.total.latencyMs;
  return (
    <div className="load-summary" role="status" aria-label="Load result">
      <strong>{run.label}</strong>
      <span>
        {n(r.requests)} requests{r.truncated ? ' (stopped at the limit)' : ''}
      </span>
      <span>{formatMs(r.simulatedMs)} simulated</span>
      <span>{n(Math.round(r.requests / Math.max(seconds, 1e-3)))} rps</span>
      <span className={errorRate(r) > 0 ? 'is-bad' : undefined}>error rate {formatPct(errorRate(r))}</span>
      <span>
        p50 {formatMs(lat.p50)} · p99 {formatMs(lat.p99)}
      </span>
    </div>
  );
}

const Shares = memo(function Shares({ result }: { result: SimResult }) {
  return (
    <table className="load-table" aria-label="Shares by subset">
      <thead>
        <tr>
          <th scope="col">Subset</th>
          <th scope="col">Requests</th>
          <th scope="col">Share</th>
        </tr>
      </thead>
      <tbody>
        {subsetShares(result).map((s) => (
          <tr key={s.key}>
            <th scope="row" title={s.key}>
              {s.name}
            </th>
            <td className="num">{n(s.requests)}</td>
            <td className="num">{s.share.toFixed(1)}%</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});

const Statuses = memo(function Statuses({ result }: { result: SimResult }) {
  const flags = Object.entries(result.total.flagCounts).sort((a, b) => b[1] - a[1]);
  const lat = result.total.latencyMs;
  return (
    <>
      <table className="load-table" aria-label="Status codes">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Requests</th>
            <th scope="col">%</th>
          </tr>
        </thead>
        <tbody>
          {statusRows(result).map((s) => (
            <tr key={s.status} className={/^[5]|[a-z]/.test(s.status) ? 'is-bad' : undefined}>
              <th scope="row">{s.status}</th>
              <td className="num">{n(s.count)}</td>
              <td className="num">{s.share.toFixed(1)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="load-table" aria-label="Latency">
        <tbody>
          {(['p50', 'p90', 'p99', 'max'] as const).map((k) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className="num">{formatMs(lat[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {flags.length ? (
        <table className="load-table" aria-label="Response flags">
          <tbody>
            {flags.map(([f, c]) => (
              <tr key={f}>
                <th scope="row">
                  <abbr title={FLAG_NAMES[f] ?? 'Envoy response flag'}>{f}</abbr>
                </th>
                <td className="num">{n(c)}</td>
                <td className="load-note">{FLAG_NAMES[f] ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
});

function Compare({ before, after }: { before: LoadRun; after: LoadRun }) {
  const rows = compareRuns(before.result, after.result);
  const fmt = (v: number, unit: '%' | 'ms') => (unit === '%' ? `${v.toFixed(1)}%` : formatMs(v));
  const delta = (r: (typeof rows)[number]) => {
    const d = r.after - r.before;
    if (Math.abs(d) < (r.unit === '%' ? 0.05 : 0.05)) return '±0';
    return `${d > 0 ? '+' : '−'}${r.unit === '%' ? `${Math.abs(d).toFixed(1)} pt` : formatMs(Math.abs(d))}`;
  };
  return (
    <table className="load-table compare" aria-label="Compared with previous run">
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">{before.label}</th>
          <th scope="col">{after.label}</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.what}>
            <th scope="row">{r.what}</th>
            <td className="num">{fmt(r.before, r.unit)}</td>
            <td className="num">{fmt(r.after, r.unit)}</td>
            <td className="num delta">{delta(r)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const Details = memo(function Details({ result }: { result: SimResult }) {
  const stats = statRows(result);
  return (
    <>
      <details className="load-card">
        <summary>Envoy stats ({stats.length})</summary>
        <table className="load-table" aria-label="Envoy stats">
          <thead>
            <tr>
              <th scope="col">Proxy</th>
              <th scope="col">Cluster</th>
              <th scope="col">Stat</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {stats.map((s) => (
              <tr key={`${s.proxy}|${s.cluster}|${s.stat}`} className={/overflow|ejections/.test(s.stat) ? 'is-bad' : undefined}>
                <td>{s.proxy}</td>
                <td className="mono">{s.cluster}</td>
                <td className="mono">{s.stat}</td>
                <td className="num">{n(s.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <details className="load-card" open={result.ejectedEndpoints.length > 0}>
        <summary>
          Ejections ({result.ejectedEndpoints.length} endpoint{result.ejectedEndpoints.length === 1 ? '' : 's'}, {n(result.ejections.filter((e) => e.kind === 'eject').length + result.ejectionsDropped)} events)
        </summary>
        {result.ejectedEndpoints.length ? (
          <table className="load-table" aria-label="Ejected endpoints">
            <thead>
              <tr>
                <th scope="col">Pod</th>
                <th scope="col">Cluster</th>
                <th scope="col">By</th>
                <th scope="col">Times</th>
                <th scope="col">At the end</th>
              </tr>
            </thead>
            <tbody>
              {result.ejectedEndpoints.map((e) => (
                <tr key={`${e.proxy}|${e.cluster}|${e.pod}`}>
                  <td>{e.pod}</td>
                  <td className="mono">{shortHost(e.cluster)}</td>
                  <td>{e.proxy}</td>
                  <td className="num">{e.times}</td>
                  <td>{e.ejectedAtEnd ? 'ejected' : 'back'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="load-note">Outlier detection ejected no endpoint.</p>
        )}
      </details>
    </>
  );
});

/** The charts, foldable, with a separator under them that sets their height. */
function Charts({ result, previous }: { result: SimResult; previous?: SimResult }) {
  const height = useStore((s) => s.view.chartHeight);
  const collapsed = useStore((s) => s.view.chartsCollapsed);
  const toggle = () => useStore.getState().setView({ chartsCollapsed: !collapsed });
  return (
    <section className="load-charts-section" aria-label="Charts">
      <div className="load-section-head">
        <h3>Charts</h3>
        <button type="button" className="link" aria-expanded={!collapsed} onClick={toggle}>
          {collapsed ? 'Show charts' : 'Hide charts'}
        </button>
      </div>
      {collapsed ? null : (
        <>
          <LoadCharts result={result} previous={previous} height={height} />
          <Separator className="charts-resize" label="Resize the charts" orientation="horizontal" grow="down" value={height} {...LIMITS.chartHeight} step={10} onChange={(chartHeight) => useStore.getState().setView({ chartHeight })} onToggle={toggle} />
        </>
      )}
    </section>
  );
}

export function LoadResults() {
  const run = useStore((s) => s.loadResult);
  const previous = useStore((s) => s.loadPrevious);
  const showTraffic = useStore((s) => s.showTraffic);
  const animate = useStore((s) => s.animateTraffic);
  const resources = useStore((s) => s.resources);
  const compare = useStore((s) => s.view.compareRuns);
  if (!run) return <div className="load-results load-note">Run load to see shares, status codes, latency and charts here, and the traffic on the canvas.</div>;
  const st = useStore.getState();
  return (
    <div className="load-results" aria-label="Load results" role="region">
      <div className="load-results-head">
        <Summary run={run} />
        <div className="load-toggles">
          <label>
            <input type="checkbox" checked={showTraffic} onChange={(e) => st.setShowTraffic(e.target.checked)} /> On canvas
          </label>
          <label>
            <input type="checkbox" checked={animate} disabled={!showTraffic} onChange={(e) => st.setAnimateTraffic(e.target.checked)} /> Animate
          </label>
          <button type="button" aria-pressed={compare} disabled={!previous} onClick={() => st.setView({ compareRuns: !compare })} title={previous ? undefined : 'Run again to compare'}>
            Compare with previous run
          </button>
          <button type="button" onClick={() => st.clearLoad()}>
            Clear results
          </button>
        </div>
      </div>
      {run.resources !== resources ? <div className="trace-stale">The design changed since this run: run again to update.</div> : null}
      {compare && previous ? <Compare before={previous} after={run} /> : null}
      <div className="load-grid">
        <WhatIfPanel run={run} />
        <section className="load-card" aria-label="Shares">
          <h3>Shares</h3>
          <Shares result={run.result} />
        </section>
        <section className="load-card" aria-label="Answers">
          <h3>Answers</h3>
          <Statuses result={run.result} />
        </section>
      </div>
      <Charts result={run.result} previous={compare ? previous?.result : undefined} />
      <Details result={run.result} />
    </div>
  );
}
