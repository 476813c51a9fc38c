/**
 * A uPlot chart as a React component: created on mount (and again when its options change, e.g. the theme),
 * data updated in place, resized with its container, destroyed on unmount. The canvas is an image to assistive
 * technology: `label` says what it shows (the panel's tables carry the numbers).
 */
import { memo, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
}

/** The theme's text, muted and border colours (styles.css). Not read from the page: the theme attribute is set after render. */
export const chartColors = (theme: 'light' | 'dark'): ChartColors =>
  theme === 'dark' ? { text: '#e3e8ef', muted: '#9aa7b8', grid: '#2f3946' } : { text: '#1c2430', muted: '#5d6b7e', grid: '#d5dbe3' };

export function axis(c: ChartColors, extra: Partial<uPlot.Axis> = {}): uPlot.Axis {
  return { stroke: c.muted, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, font: '11px system-ui, sans-serif', labelFont: '11px system-ui, sans-serif', size: 40, ...extra };
}

function UPlotChartView({ options, data, label, height = 150 }: { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData; label: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const size = useRef(height);
  size.current = height;
  useEffect(() => {
    const el = box.current!;
    const width = () => Math.max(120, el.clientWidth);
    const u = new uPlot({ ...options, width: width(), height: size.current }, data, el);
    chart.current = u;
    // The chart follows its panel's width (the drawer, the form beside it, the editor beside the canvas).
    const ro = new ResizeObserver(() => u.setSize({ width: width(), height: size.current }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      chart.current = null;
    };
    // Data and height changes are applied below without re-creating the chart.
  }, [options]);
  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);
  useEffect(() => {
    const u = chart.current;
    if (u && u.height !== height) u.setSize({ width: u.width, height });
  }, [height]);
  return <div ref={box} className="chart" role="img" aria-label={label} style={{ minHeight: height }} />;
}

export const UPlotChart = memo(UPlotChartView);
