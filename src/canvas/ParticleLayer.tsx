/**
 * A load run's particles: one <canvas> over the graph, drawn in one requestAnimationFrame loop. Each busy edge's
 * curve is sampled once per layout (edgeGeometry.ts) and its particles placed by arc length every frame, so the
 * browser repaints a single layer instead of the whole edge layer (SVG animateMotion did that, at 7 fps on 200 edges).
 *
 * Kiali's encoding: white dots ringed in the edge's health colour for successes, red diamonds for errors in
 * proportion to the error rate; more particles for more traffic (capped per edge and over the canvas, see
 * traffic.ts), slower for slower answers. Nothing moves with prefers-reduced-motion, and the loop stops while the
 * tab is hidden.
 */
import { useStoreApi } from '@xyflow/react';
import './layers.css';
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { edgeCurve, edgeEnds, pointAt, sample, type Sampled } from './edgeGeometry';
import type { RouteFlowEdge } from './RouteEdge';
import type { Health } from './traffic';

const REDUCED = '(prefers-reduced-motion: reduce)';
function subscribeReduced(onChange: () => void) {
  const m = window.matchMedia?.(REDUCED);
  m?.addEventListener('change', onChange);
  return () => m?.removeEventListener('change', onChange);
}
const reducedMotion = () => !!window.matchMedia?.(REDUCED).matches;

/** Success dot radius and error diamond half-diagonal, in flow units (as the SVG particles were); never smaller on
 * screen than `MIN_SCREEN` pixels, so that they stay visible in the overview. */
const DOT = 3.2;
const DIAMOND = 4.5;
const MIN_SCREEN = 2.2;

interface Track {
  edge: RouteFlowEdge;
  /** The ends the curve was sampled for. */
  ends: number[];
  curve?: Sampled;
  /** Which of the edge's particles show errors (spread evenly among the others). */
  errors: boolean[];
}

function tracksOf(edges: readonly RouteFlowEdge[]): Track[] {
  const out: Track[] = [];
  for (const edge of edges) {
    const t = edge.data?.traffic;
    if (!t?.particles) continue;
    const n = t.particles;
    const errors = Array.from({ length: n }, (_, i) => Math.floor(((i + 1) * t.errorParticles) / n) > Math.floor((i * t.errorParticles) / n));
    out.push({ edge, ends: [], errors });
  }
  return out;
}

/** The edge labels' boxes in flow coordinates: particles pass under the labels, as they did under the SVG. */
function labelBoxes(root: ParentNode, [tx, ty, k]: readonly [number, number, number], origin: DOMRect): number[] {
  const out: number[] = [];
  for (const el of root.querySelectorAll('.edge-label')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.height) out.push((r.left - origin.left - tx) / k, (r.top - origin.top - ty) / k, r.width / k, r.height / k);
  }
  return out;
}

type Colors = Record<Health | 'fill', string>;
function readColors(el: Element): Colors {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { healthy: v('--healthy', '#3e8635'), degraded: v('--degraded', '#d97706'), failing: v('--failing', '#c9190b'), idle: v('--idle', '#9aa5b4'), fill: v('--particle-fill', '#fff') };
}

export function ParticleLayer({ edges, theme }: { edges: readonly RouteFlowEdge[]; theme: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  const tracks = useMemo(() => tracksOf(edges), [edges]);
  const reduced = useSyncExternalStore(subscribeReduced, reducedMotion, () => false);
  const count = tracks.reduce((n, t) => n + t.errors.length, 0);

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || reduced) return;
    let colors: Colors | undefined;
    let raf = 0;
    let labels: number[] = [];
    let labelsAt = -Infinity;
    const draw = (now: number) => {
      raf = requestAnimationFrame(draw);
      const { transform, nodeLookup, width, height } = store.getState();
      const dpr = window.devicePixelRatio || 1;
      const w = Math.round(width * dpr);
      const h = Math.round(height * dpr);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      } else {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, w, h);
      }
      // Read the theme's colours on the first frame: by then every effect of the render that changed it has run.
      colors ??= readColors(canvas);
      const [tx, ty, k] = transform;
      ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
      // The visible part of the flow, with a margin: particles elsewhere are not drawn.
      const x0 = -tx / k - 10;
      const y0 = -ty / k - 10;
      const x1 = (width - tx) / k + 10;
      const y1 = (height - ty) / k + 10;
      const r = Math.max(DOT, MIN_SCREEN / k);
      const d = Math.max(DIAMOND, (MIN_SCREEN * 1.4) / k);
      const dots: Record<string, Path2D> = {};
      const diamonds = new Path2D();
      const seconds = now / 1000;
      let moved = false;
      for (const track of tracks) {
        const { edge } = track;
        const s = nodeLookup.get(edge.source);
        const t = nodeLookup.get(edge.target);
        if (!s || !t) continue;
        const e = edgeEnds(s, edge.sourceHandle ?? 'out', t, edge.targetHandle ?? 'in');
        const ends = track.ends;
        if (!track.curve || ends[0] !== e.sourceX || ends[1] !== e.sourceY || ends[2] !== e.targetX || ends[3] !== e.targetY) {
          track.curve = sample(edgeCurve(e, edge.data).segments);
          track.ends = [e.sourceX, e.sourceY, e.targetX, e.targetY];
          moved = true;
        }
        const traffic = edge.data!.traffic!;
        const n = track.errors.length;
        const dots1 = (dots[traffic.health] ??= new Path2D());
        for (let i = 0; i < n; i++) {
          const [x, y, a] = pointAt(track.curve, (seconds / traffic.duration + i / n) % 1);
          if (x < x0 || x > x1 || y < y0 || y > y1) continue;
          if (track.errors[i]) {
            // A diamond pointing along the edge.
            const c = Math.cos(a) * d;
            const sn = Math.sin(a) * d;
            diamonds.moveTo(x + c, y + sn);
            diamonds.lineTo(x - sn, y + c);
            diamonds.lineTo(x - c, y - sn);
            diamonds.lineTo(x + sn, y - c);
            diamonds.closePath();
          } else {
            dots1.moveTo(x + r, y);
            dots1.arc(x, y, r, 0, Math.PI * 2);
          }
        }
      }
      // Where the labels are (again when something moved, and every second for labels that changed size).
      if (moved || now - labelsAt > 1000) {
        const root = canvas.parentElement;
        labels = root ? labelBoxes(root, transform, root.getBoundingClientRect()) : [];
        labelsAt = now;
      }
      ctx.save();
      if (labels.length) {
        const clip = new Path2D();
        clip.rect(x0, y0, x1 - x0, y1 - y0);
        for (let i = 0; i < labels.length; i += 4) clip.rect(labels[i], labels[i + 1], labels[i + 2], labels[i + 3]);
        ctx.clip(clip, 'evenodd');
      }
      ctx.fillStyle = colors.fill;
      ctx.lineWidth = Math.max(1.6, 1 / k);
      for (const [health, p] of Object.entries(dots)) {
        ctx.fill(p);
        ctx.strokeStyle = colors[health as Health];
        ctx.stroke(p);
      }
      ctx.lineWidth = Math.max(2, 1.2 / k);
      ctx.fill(diamonds);
      ctx.strokeStyle = colors.failing;
      ctx.stroke(diamonds);
      ctx.restore();
    };
    const start = () => {
      cancelAnimationFrame(raf);
      if (!document.hidden) raf = requestAnimationFrame(draw);
    };
    start();
    document.addEventListener('visibilitychange', start);
    return () => {
      cancelAnimationFrame(raf);
      document.removeEventListener('visibilitychange', start);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
    };
  }, [store, tracks, reduced, theme]);

  return <canvas ref={ref} className="particles" aria-hidden="true" data-edges={tracks.length} data-particles={reduced ? 0 : count} />;
}
