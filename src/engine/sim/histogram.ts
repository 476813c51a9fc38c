/**
 * A log-linear latency histogram in the spirit of HdrHistogram: values in microseconds, linear
 * below 2^bits µs, then 2^bits sub-buckets per power of two (relative error ≤ 2^-bits; 1.6 % with
 * the default 6 bits). Recording allocates nothing; min, max and mean are exact.
 */

/** Where a histogram keeps its scalars (`Histogram.st`). */
const N = 0;
const SUM = 1;
const MIN = 2;
const MAX = 3;
const V = 4;

export class Histogram {
  /**
   * Count, sum, min, max and the value for `addV`, in a typed array beside the counts: recording
   * writes numbers in place, where double fields would each be a boxed number of their own (one
   * more memory load per field, on an edge's histogram a cache miss).
   */
  readonly st: Float64Array;
  /** Counts per bucket (32 bits: a run has at most 10^8 requests, 10^9 with mirrors). */
  readonly counts: Uint32Array;
  private readonly sub: number;
  private readonly bits: number;

  /** `chunks`: cut the counts from shared buffers (many small histograms without an ArrayBuffer each). */
  constructor(bits = 6, chunks: CountChunks | null = null) {
    this.bits = bits;
    this.sub = 1 << bits;
    const n = this.sub + (54 - bits) * this.sub;
    const bytes = 5 * 8 + 4 * n;
    const [buf, at] = chunks === null ? [new ArrayBuffer(bytes), 0] : chunks.take(bytes);
    this.st = new Float64Array(buf, at, 5);
    this.counts = new Uint32Array(buf, at + 5 * 8, n);
    this.st[MIN] = Infinity;
  }

  get n(): number {
    return this.st[N];
  }

  get sum(): number {
    return this.st[SUM];
  }

  get min(): number {
    return this.st[MIN];
  }

  get max(): number {
    return this.st[MAX];
  }

  /** The value the next `addV` records (a typed-array slot, not an argument: see EventQueue.at). */
  set v(ms: number) {
    this.st[V] = ms;
  }

  private index(ms: number): number {
    const us = ms * 1000;
    const sub = this.sub;
    if (us < sub) return us < 0 ? 0 : us | 0;
    if (us < 2147483648) {
      const u = us | 0;
      const e = 31 - Math.clz32(u);
      return sub + (e - this.bits) * sub + ((u >>> (e - this.bits)) & (sub - 1));
    }
    const e = Math.min(53, Math.floor(Math.log2(us)));
    const i = sub + (e - this.bits) * sub + (Math.floor(us / 2 ** (e - this.bits)) & (sub - 1));
    return Math.min(i, this.counts.length - 1);
  }

  /** Lower bound and width of a bucket, in microseconds. */
  private bounds(i: number): [number, number] {
    const sub = this.sub;
    if (i < sub) return [i, 1];
    const e = ((i - sub) >> this.bits) + this.bits;
    const w = 2 ** (e - this.bits);
    return [(sub + ((i - sub) & (sub - 1))) * w, w];
  }

  addV(): void {
    const st = this.st;
    const ms = st[V];
    this.counts[this.index(ms)]++;
    st[N]++;
    st[SUM] += ms;
    if (ms < st[MIN]) st[MIN] = ms;
    if (ms > st[MAX]) st[MAX] = ms;
  }

  add(ms: number): void {
    this.st[V] = ms;
    this.addV();
  }

  reset(): void {
    this.counts.fill(0);
    this.st.fill(0);
    this.st[MIN] = Infinity;
  }

  merge(o: Histogram): void {
    const c = this.counts;
    const oc = o.counts;
    for (let i = 0; i < c.length; i++) c[i] += oc[i];
    const st = this.st;
    const ot = o.st;
    st[N] += ot[N];
    st[SUM] += ot[SUM];
    if (ot[MIN] < st[MIN]) st[MIN] = ot[MIN];
    if (ot[MAX] > st[MAX]) st[MAX] = ot[MAX];
  }

  /** The value at quantile q (0–1): the middle of the bucket holding that rank, within [min, max]. */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let acc = 0;
    const c = this.counts;
    for (let i = 0; i < c.length; i++) {
      acc += c[i];
      if (acc >= rank) {
        const [lo, w] = this.bounds(i);
        const v = (lo + w / 2) / 1000;
        return Math.min(this.max, Math.max(this.min, v));
      }
    }
    return this.max;
  }

  mean(): number {
    return this.n === 0 ? 0 : this.sum / this.n;
  }

  /** Counts in at most `maxBins` log-spaced bins from min to max (each bucket counted at its middle). */
  bins(maxBins: number): { edgesMs: number[]; counts: number[] } {
    if (this.n === 0) return { edgesMs: [], counts: [] };
    const lo = Math.max(this.min, 0.001);
    const hi = Math.max(this.max, lo * 1.001);
    const k = Math.max(1, Math.floor(maxBins));
    const span = Math.log(hi / lo);
    const edgesMs = Array.from({ length: k + 1 }, (_, i) => Math.round(lo * Math.exp((span * i) / k) * 1000) / 1000);
    const counts = new Array<number>(k).fill(0);
    const c = this.counts;
    for (let i = 0; i < c.length; i++) {
      if (c[i] === 0) continue;
      const [b, w] = this.bounds(i);
      const v = Math.min(hi, Math.max(lo, (b + w / 2) / 1000));
      counts[Math.min(k - 1, Math.floor((Math.log(v / lo) / span) * k))] += c[i];
    }
    return { edgesMs, counts };
  }
}

/** Zeroed memory cut from shared 1 MB buffers. */
export class CountChunks {
  private buf = new ArrayBuffer(0);
  private used = 0;

  /** `bytes` of a shared buffer, from an offset that is a multiple of 8. */
  take(bytes: number): [ArrayBuffer, number] {
    const size = (bytes + 7) & ~7;
    if (this.used + size > this.buf.byteLength) {
      this.buf = new ArrayBuffer(Math.max(size, 1 << 20));
      this.used = 0;
    }
    const at = this.used;
    this.used += size;
    return [this.buf, at];
  }
}
