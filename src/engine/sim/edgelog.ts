/**
 * Canvas-edge counts and latencies, logged as requests end and folded into the edges in batches,
 * grouped by edge. A run spreads its requests over hundreds of edges, each with a histogram of its
 * own: counting a request on its edge at once costs a few cache misses (the edge, its counters,
 * its histogram bucket), where a batch loads an edge's lines once for all its entries. Within an
 * edge the entries are folded in the order they were logged, so every sum comes out the same.
 */
import type { EdgeRec } from './records';

/** Entries per batch: the log and its ordering fit in a core's L2 cache. */
const BATCH = 1 << 14;

/** Answer classes (the low two bits of an entry's code). */
const OK = 0;
const CLIENT_ERROR = 1;
const ERROR = 2;

export class EdgeLog {
  /** Edge id × 4 + answer class. */
  private readonly code = new Int32Array(BATCH);
  /** Latency as the caller saw it (NaN: none recorded, e.g. a mirror's). */
  private readonly lat = new Float64Array(BATCH);
  private readonly order = new Int32Array(BATCH);
  private starts = new Int32Array(64);
  private n = 0;

  constructor(private readonly edges: EdgeRec[]) {}

  /** A request routed to edge `id` has ended with status `st`; its latency follows (`latency`), or none does. */
  count(id: number, st: number): void {
    if (this.n === BATCH) this.flush();
    const i = this.n++;
    this.code[i] = id * 4 + (st >= 500 ? ERROR : st >= 400 ? CLIENT_ERROR : OK);
    this.lat[i] = NaN;
  }

  /** The latency of the request `count` logged last. */
  latency(ms: number): void {
    this.lat[this.n - 1] = ms;
  }

  /** Folds the log into the edges (before their counts are read). */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    this.n = 0;
    const ne = this.edges.length;
    if (this.starts.length < ne + 1) this.starts = new Int32Array(Math.max(ne + 1, this.starts.length * 2));
    const starts = this.starts;
    starts.fill(0, 0, ne + 1);
    const code = this.code;
    for (let i = 0; i < n; i++) starts[(code[i] >> 2) + 1]++;
    for (let e = 0; e < ne; e++) starts[e + 1] += starts[e];
    // A stable counting sort by edge; `starts[e]` ends at edge e's end.
    const order = this.order;
    for (let i = 0; i < n; i++) order[starts[code[i] >> 2]++] = i;
    const lat = this.lat;
    let k = 0;
    for (let id = 0; id < ne; id++) {
      const end = starts[id];
      if (k === end) continue;
      const e = this.edges[id];
      for (; k < end; k++) {
        const i = order[k];
        const cls = code[i] & 3;
        e.requests++;
        if (cls === ERROR) e.errors++;
        else if (cls === CLIENT_ERROR) e.clientErrors++;
        const ms = lat[i];
        if (ms === ms) e.add(ms);
      }
    }
  }
}
