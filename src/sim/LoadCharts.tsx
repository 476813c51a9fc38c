/**
 * Charts of a load run (uPlot): status codes over simulated time (with circuit-breaker overflows and ejected hosts),
 * the latency histogram, and the share per subset (beside the previous run's when there is one). Status colours are
 * not the health colours of the canvas, so the two never read as the same thing.
 */
import { memo, useMemo } from 'react';
import uPlot from 'uplot';
import type { SimResult } from '../engine/sim/types';
import { formatMs } from '../canvas/traffic';
import { useStore } from '../store/store';
import { axis, chartColors, UPlotChart, type ChartColors } from './UPlot';
import { fitLabel, subsetShares } from './results';

export const STATUS_COLORS = { s2xx: '#3b7dd8', s3xx: '#0f9488', s4xx: '#9b59d0', s5xx: '#e0457b', none: '#7b8794', uo: '#e8a317', ejected: '#5d6b7e' } as const;

const line = (label: string, stroke: string, extra: Partial<uPlot.Series> = {}): uPlot.Series => ({ label, stroke, width: 1.6, points: { show: false }, ...extra });

function statusChart(result: SimResult, c: ChartColors): { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData } {
  const { bucketMs, buckets } = result.timeSeries;
  const per = 1000 / bucketMs;
  const x = buckets.map((b) => b.startMs / 1000);
  const any = (k: 's3xx' | 's4xx' | 'none' | 'uo' | 'uh' | 'ejected') => buckets.some((b) => b[k] > 0);
  const series: uPlot.Series[] = [{ label: 'time', value: (_u, v) => (v == null ? '' : `${v.toFixed(1)} s`) }, line('2xx', STATUS_COLORS.s2xx)];
  const data: (number | null)[][] = [x, buckets.map((b) => b.s2xx * per)];
  const add = (label: string, stroke: string, values: number[], extra?: Partial<uPlot.Series>) => {
    series.push(line(label, stroke, extra));
    data.push(values);
  };
  if (any('s3xx')) add('3xx', STATUS_COLORS.s3xx, buckets.map((b) => b.s3xx * per));
  if (any('s4xx')) add('4xx', STATUS_COLORS.s4xx, buckets.map((b) => b.s4xx * per));
  add('5xx', STATUS_COLORS.s5xx, buckets.map((b) => b.s5xx * per));
  if (any('none')) add('no answer', STATUS_COLORS.none, buckets.map((b) => b.none * per));
  if (any('uo') || any('uh')) add('503 UO/UH', STATUS_COLORS.uo, buckets.map((b) => (b.uo + b.uh) * per), { dash: [5, 3] });
  const ejected = any('ejected');
  if (ejected) add('ejected hosts', STATUS_COLORS.ejected, buckets.map((b) => b.ejected), { scale: 'hosts', paths: uPlot.paths.stepped!({ align: 1 }), dash: [2, 2] });
  return {
    options: {
      series,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.05] }, ...(ejected ? { hosts: { range: (_u, _min, max) => [0, Math.max(1, max)] } } : {}) },
      axes: [axis(c, { values: (_u, t) => t.map((v) => `${v}s`) }), axis(c, { label: 'rps', size: 48 }), ...(ejected ? [axis(c, { scale: 'hosts', side: 1, grid: { show: false }, label: 'ejected', size: 40 })] : [])],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    },
    data: data as uPlot.AlignedData,
  };
}

function latencyChart(result: SimResult, c: ChartColors): { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData } {
  const { edgesMs, counts } = result.latencyHistogram;
  const x = counts.map((_, i) => i);
  return {
    options: {
      series: [{ label: 'latency', value: (_u, i) => (i == null || edgesMs[i] === undefined ? '' : `${formatMs(edgesMs[i])}–${formatMs(edgesMs[i + 1])}`) }, { label: 'requests', fill: 'rgba(59,125,216,0.55)', stroke: STATUS_COLORS.s2xx, width: 1, paths: uPlot.paths.bars!({ size: [0.9, 40] }), points: { show: false } }],
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, counts.length - 0.5)] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.05] } },
      axes: [axis(c, { values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) && edgesMs[t] !== undefined ? formatMs(edgesMs[t]) : '')), space: 50 }), axis(c, { size: 48, values: (_u, t) => t.map(compact) })],
      legend: { live: false, show: false },
      cursor: { drag: { x: false, y: false } },
    },
    data: [x, counts],
  };
}

const compact = (n: number) => (n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)}k` : String(n));

function shareChart(result: SimResult, previous: SimResult | undefined, c: ChartColors): { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData; names: string[] } {
  const now = subsetShares(result);
  const before = previous ? subsetShares(previous) : undefined;
  const names = [...new Set([...now.map((s) => s.name), ...(before ?? []).map((s) => s.name)])];
  const pick = (list: { name: string; share: number }[]) => names.map((n) => list.find((s) => s.name === n)?.share ?? 0);
  const series: uPlot.Series[] = [{ label: 'subset', value: (_u, i) => names[i] ?? '' }];
  const data: number[][] = [names.map((_, i) => i)];
  if (before) {
    series.push({ label: 'previous', fill: 'rgba(123,135,148,0.45)', stroke: STATUS_COLORS.none, width: 1, paths: uPlot.paths.bars!({ size: [0.4, 60], align: -1 }), points: { show: false } });
    data.push(pick(before));
  }
  series.push({ label: 'this run', fill: 'rgba(59,125,216,0.6)', stroke: STATUS_COLORS.s2xx, width: 1, paths: uPlot.paths.bars!({ size: [before ? 0.4 : 0.6, 60], align: before ? 1 : 0 }), points: { show: false } });
  data.push(pick(now));
  return {
    names,
    options: {
      series,
      scales: { x: { time: false, range: [-0.5, names.length - 0.5] }, y: { range: [0, 100] } },
      axes: [axis(c, { values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? fitLabel(names[t] ?? '', (u.width - 50) / names.length) : '')), splits: () => names.map((_, i) => i), grid: { show: false } }), axis(c, { values: (_u, t) => t.map((v) => `${v}%`), size: 44 })],
      legend: { live: false, show: !!before },
      cursor: { drag: { x: false, y: false } },
    },
    data: data as uPlot.AlignedData,
  };
}

export const LoadCharts = memo(function LoadCharts({ result, previous, height }: { result: SimResult; previous?: SimResult; height: number }) {
  const theme = useStore((s) => s.theme);
  const c = useMemo(() => chartColors(theme), [theme]);
  const status = useMemo(() => statusChart(result, c), [result, c]);
  const latency = useMemo(() => latencyChart(result, c), [result, c]);
  const shares = useMemo(() => shareChart(result, previous, c), [result, previous, c]);
  const total = result.requests;
  return (
    <div className="load-charts">
      <figure className="load-card">
        <figcaption>Status codes over simulated time</figcaption>
        <UPlotChart height={height} options={status.options} data={status.data} label={`Requests per second by status class over ${formatMs(result.simulatedMs)} of simulated time`} />
      </figure>
      <figure className="load-card">
        <figcaption>Latency histogram</figcaption>
        <UPlotChart height={height} options={latency.options} data={latency.data} label={`Latency of ${total.toLocaleString('en-US')} requests from ${formatMs(result.total.latencyMs.min)} to ${formatMs(result.total.latencyMs.max)}, p50 ${formatMs(result.total.latencyMs.p50)}, p99 ${formatMs(result.total.latencyMs.p99)}`} />
      </figure>
      <figure className="load-card">
        <figcaption>Share per subset{previous ? ' (previous run beside)' : ''}</figcaption>
        <UPlotChart height={height} options={shares.options} data={shares.data} label={`Share of requests per subset: ${subsetShares(result).map((s) => `${s.name} ${s.share.toFixed(1)}%`).join(', ')}`} />
      </figure>
    </div>
  );
});
