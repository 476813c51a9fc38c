/**
 * The event queue of the discrete-event simulation: a binary min-heap ordered by (time, insertion
 * order), stored in typed arrays so that pushing and popping allocate nothing. Timers that are no
 * longer needed (a route timeout after the answer) are removed with `cancel`, which keeps the heap
 * at the size of what is really pending; events that are not cancelled but have become irrelevant
 * are recognised by their generation number when popped.
 *
 * Events that come a constant delay after the current time (a closed-loop client's next send, the
 * answer of a pod with a fixed latency) can skip the heap: `pushInOrder` appends them to the FIFO
 * lane of their delay (`laneFor`), which time only ever extends at its end, so a lane is sorted by
 * (time, insertion order) as it is; `pop` takes the earliest of the lanes' heads and the heap's
 * top. Events come out in the same order as with the heap alone; the heap holds fewer events and
 * those in lanes cost no sifting.
 */

/** The most lanes a queue makes (`pop` looks at each lane's head). */
export const MAX_LANES = 4;

/** A FIFO of events: a ring of `cap` (a power of two) events from `head`, `size` of them. */
class Lane {
  cap = 64;
  time = new Float64Array(this.cap);
  order = new Float64Array(this.cap);
  kind = new Uint8Array(this.cap);
  a = new Int32Array(this.cap);
  b = new Int32Array(this.cap);
  head = 0;
  size = 0;
  constructor(readonly delay: number) {}

  /** Doubles the ring, its events from index 0. */
  grow(): void {
    const n = this.cap * 2;
    const h = this.head;
    const m = this.cap - 1;
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(o: T, x: T): T => {
      for (let k = 0; k < this.size; k++) x[k] = o[(h + k) & m];
      return x;
    };
    this.time = copy(this.time, new Float64Array(n));
    this.order = copy(this.order, new Float64Array(n));
    this.kind = copy(this.kind, new Uint8Array(n));
    this.a = copy(this.a, new Int32Array(n));
    this.b = copy(this.b, new Int32Array(n));
    this.head = 0;
    this.cap = n;
  }
}
export class EventQueue {
  private cap = 1024;
  private time = new Float64Array(this.cap);
  private order = new Float64Array(this.cap);
  private kind = new Uint8Array(this.cap);
  private a = new Int32Array(this.cap);
  private b = new Int32Array(this.cap);
  /** Heap of slot indices, and each slot's position in it (-1: free). */
  private heap = new Int32Array(this.cap);
  private pos = new Int32Array(this.cap).fill(-1);
  private free = new Int32Array(this.cap);
  private freeTop = 0;
  private used = 0;
  private seq = 0;
  size = 0;

  /** Fields of the last popped event. */
  t = 0;
  k = 0;
  ea = 0;
  eb = 0;
  /** Insertion order of the last pushed event (with its slot, identifies it for `cancel`). */
  lastOrder = 0;
  /**
   * Time of the next `push`. Passed as a field rather than an argument: a floating-point argument
   * to a call the compiler does not inline is boxed, one allocation per event.
   */
  at = 0.5;

  private readonly lanes: Lane[] = [];

  private grow(): void {
    const n = this.cap * 2;
    const f64 = (o: Float64Array) => {
      const x = new Float64Array(n);
      x.set(o);
      return x;
    };
    const i32 = (o: Int32Array, fill = 0) => {
      const x = new Int32Array(n).fill(fill);
      x.set(o);
      return x;
    };
    this.time = f64(this.time);
    this.order = f64(this.order);
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
    this.a = i32(this.a);
    this.b = i32(this.b);
    this.heap = i32(this.heap);
    this.pos = i32(this.pos, -1);
    this.free = i32(this.free);
    this.cap = n;
  }

  private less(i: number, j: number): boolean {
    const ti = this.time[i];
    const tj = this.time[j];
    return ti < tj || (ti === tj && this.order[i] < this.order[j]);
  }

  private up(i: number, slot: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = h[p];
      if (!this.less(slot, ps)) break;
      h[i] = ps;
      this.pos[ps] = i;
      i = p;
    }
    h[i] = slot;
    this.pos[slot] = i;
  }

  private down(i: number, slot: number): void {
    const h = this.heap;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(h[r], h[l]) ? r : l;
      const cs = h[c];
      if (!this.less(cs, slot)) break;
      h[i] = cs;
      this.pos[cs] = i;
      i = c;
    }
    h[i] = slot;
    this.pos[slot] = i;
  }

  /** Adds an event at time `at`; returns its slot (see `lastOrder`). */
  push(kind: number, a: number, b: number): number {
    const t = this.at;
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop];
    else {
      if (this.used === this.cap) this.grow();
      slot = this.used++;
    }
    this.time[slot] = t;
    this.order[slot] = this.lastOrder = this.seq++;
    this.kind[slot] = kind;
    this.a[slot] = a;
    this.b[slot] = b;
    this.up(this.size++, slot);
    return slot;
  }

  /** The lane of events `delay` after the current time, made on first use; -1 when `MAX_LANES` are taken by other delays. */
  laneFor(delay: number): number {
    const i = this.lanes.findIndex((l) => l.delay === delay);
    if (i >= 0 || this.lanes.length === MAX_LANES) return i;
    this.lanes.push(new Lane(delay));
    return this.lanes.length - 1;
  }

  /**
   * Adds an event at time `at` that is never cancelled to lane `lane` (from `laneFor`), or to the
   * heap (where it is popped in the same order) when `lane` is -1 or `at` is before the lane's last event.
   */
  pushInOrder(lane: number, kind: number, a: number, b: number): void {
    const t = this.at;
    const l = lane >= 0 ? this.lanes[lane] : undefined;
    if (l === undefined || (l.size > 0 && t < l.time[(l.head + l.size - 1) & (l.cap - 1)])) {
      this.push(kind, a, b);
      return;
    }
    if (l.size === l.cap) l.grow();
    const i = (l.head + l.size) & (l.cap - 1);
    l.time[i] = t;
    l.order[i] = this.lastOrder = this.seq++;
    l.kind[i] = kind;
    l.a[i] = a;
    l.b[i] = b;
    l.size++;
  }

  private release(slot: number): void {
    this.pos[slot] = -1;
    this.free[this.freeTop++] = slot;
  }

  /** Removes the earliest event into `t`, `k`, `ea`, `eb`. Returns false when empty. */
  pop(): boolean {
    // The earliest of the lanes' heads, if it comes before the heap's top.
    let best: Lane | null = null;
    let bt = Infinity;
    let bo = Infinity;
    if (this.size > 0) {
      const top = this.heap[0];
      bt = this.time[top];
      bo = this.order[top];
    }
    const lanes = this.lanes;
    for (let j = 0; j < lanes.length; j++) {
      const l = lanes[j];
      if (l.size === 0) continue;
      const t = l.time[l.head];
      if (t < bt || (t === bt && l.order[l.head] < bo)) {
        best = l;
        bt = t;
        bo = l.order[l.head];
      }
    }
    if (best !== null) {
      const i = best.head;
      this.t = bt;
      this.k = best.kind[i];
      this.ea = best.a[i];
      this.eb = best.b[i];
      best.head = (i + 1) & (best.cap - 1);
      best.size--;
      return true;
    }
    if (this.size === 0) return false;
    const top = this.heap[0];
    this.t = this.time[top];
    this.k = this.kind[top];
    this.ea = this.a[top];
    this.eb = this.b[top];
    this.release(top);
    const last = this.heap[--this.size];
    if (this.size > 0) this.down(0, last);
    return true;
  }

  /** Removes the event pushed into `slot` with insertion order `order`, if it is still pending. */
  cancel(slot: number, order: number): void {
    const i = this.pos[slot];
    if (i < 0 || this.order[slot] !== order) return;
    this.release(slot);
    const last = this.heap[--this.size];
    if (i === this.size) return;
    if (i > 0 && this.less(last, this.heap[(i - 1) >> 1])) this.up(i, last);
    else this.down(i, last);
  }
}
