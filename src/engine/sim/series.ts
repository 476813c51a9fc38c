/**
 * The result's time series: per bucket of simulated time, requests by status class, local replies
 * (UO, UH, UT), latency and the most hosts ejected at once. Buckets double in width (pairs merged)
 * as the run grows, so their number stays bounded whatever the simulated duration.
 */
import { F_UH, F_UO, F_UT } from './codes';
import { Histogram } from './histogram';
import type { TimeBucket } from './types';

/** Time series with buckets that double in width (pairs merged) as the run grows. */
export class Series {
  bucketMs = 1;
  readonly rows: Array<{ n: number; s2: number; s3: number; s4: number; s5: number; none: number; uo: number; uh: number; ut: number; ej: number; hist: Histogram }> = [];
  /** Histograms of buckets merged away, for new buckets. */
  private readonly spare: Histogram[] = [];
  constructor(readonly max: number) {}

  private row(i: number) {
    while (this.rows.length <= i) {
      const h = this.spare.pop();
      if (h !== undefined) h.reset();
      this.rows.push({ n: 0, s2: 0, s3: 0, s4: 0, s5: 0, none: 0, uo: 0, uh: 0, ut: 0, ej: 0, hist: h ?? new Histogram(3) });
    }
    return this.rows[i];
  }

  private widen(): void {
    const old = this.rows.splice(0);
    this.bucketMs *= 2;
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i];
      const b = old[i + 1];
      if (b) {
        a.n += b.n;
        a.s2 += b.s2;
        a.s3 += b.s3;
        a.s4 += b.s4;
        a.s5 += b.s5;
        a.none += b.none;
        a.uo += b.uo;
        a.uh += b.uh;
        a.ut += b.ut;
        a.ej = Math.max(a.ej, b.ej);
        a.hist.merge(b.hist);
        this.spare.push(b.hist);
      }
      this.rows.push(a);
    }
  }

  /** Completion time and latency of the request being added (set before `add`, so no number is boxed). */
  t = 0.5;
  lat = 0.5;

  add(status: number, flags: number, ejected: number): void {
    const t = this.t;
    const latency = this.lat;
    let i = Math.floor(t / this.bucketMs);
    while (i >= this.max) {
      this.widen();
      i = Math.floor(t / this.bucketMs);
    }
    const r = this.row(i);
    r.n++;
    if (status >= 1000) r.none++;
    else if (status >= 500) r.s5++;
    else if (status >= 400) r.s4++;
    else if (status >= 300) r.s3++;
    else r.s2++;
    if (flags & F_UO) r.uo++;
    if (flags & F_UH) r.uh++;
    if (flags & F_UT) r.ut++;
    if (ejected > r.ej) r.ej = ejected;
    r.hist.v = latency;
    r.hist.addV();
  }

  noteEjected(t: number, ejected: number): void {
    let i = Math.floor(t / this.bucketMs);
    while (i >= this.max) {
      this.widen();
      i = Math.floor(t / this.bucketMs);
    }
    const r = this.row(i);
    if (ejected > r.ej) r.ej = ejected;
  }

  toJSON(): { bucketMs: number; buckets: TimeBucket[] } {
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      bucketMs: this.bucketMs,
      buckets: this.rows.map((r, i) => ({
        startMs: i * this.bucketMs, requests: r.n, s2xx: r.s2, s3xx: r.s3, s4xx: r.s4, s5xx: r.s5, none: r.none, uo: r.uo, uh: r.uh, ut: r.ut,
        meanMs: r3(r.hist.mean()), p50Ms: r3(r.hist.quantile(0.5)), p99Ms: r3(r.hist.quantile(0.99)), maxMs: r3(r.hist.max), ejected: r.ej,
      })),
    };
  }
}
