/**
 * The event queue of the discrete-event simulation: a binary min-heap ordered by (time, insertion
 * order), stored in typed arrays so that pushing and popping allocate nothing. Timers that are no
 * longer needed (a route timeout after the answer) are removed with `cancel`, which keeps the heap
 * at the size of what is really pending; events that are not cancelled but have become irrelevant
 * are recognised by their generation number when popped.
 *
 * Events whose times never decrease from one push to the next (a closed-loop client's next send,
 * now + a constant) can skip the heap: `pushInOrder` appends them to a FIFO lane, which is sorted
 * by (time, insertion order) as it is, and `pop` takes the earlier of the lane's head and the
 * heap's top. The order events come out in is the same as with the heap alone; the heap holds
 * fewer events and a closed-loop run's arrivals cost no sifting.
 */
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

  // The in-order lane: a ring of `lcap` (a power of two) events from `lHead`, `lSize` of them.
  private lcap = 64;
  private lTime = new Float64Array(this.lcap);
  private lOrder = new Float64Array(this.lcap);
  private lKind = new Uint8Array(this.lcap);
  private lA = new Int32Array(this.lcap);
  private lB = new Int32Array(this.lcap);
  private lHead = 0;
  private lSize = 0;

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

  /**
   * Adds an event at time `at` that is never cancelled: to the lane when `at` is not before the
   * lane's last event (else to the heap, where it is popped in the same order).
   */
  pushInOrder(kind: number, a: number, b: number): void {
    const t = this.at;
    const n = this.lSize;
    if (n > 0 && t < this.lTime[(this.lHead + n - 1) & (this.lcap - 1)]) {
      this.push(kind, a, b);
      return;
    }
    if (n === this.lcap) this.growLane();
    const i = (this.lHead + n) & (this.lcap - 1);
    this.lTime[i] = t;
    this.lOrder[i] = this.lastOrder = this.seq++;
    this.lKind[i] = kind;
    this.lA[i] = a;
    this.lB[i] = b;
    this.lSize = n + 1;
  }

  /** Doubles the lane, its events from index 0. */
  private growLane(): void {
    const n = this.lcap * 2;
    const h = this.lHead;
    const m = this.lcap;
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(o: T, x: T): T => {
      for (let k = 0; k < this.lSize; k++) x[k] = o[(h + k) & (m - 1)];
      return x;
    };
    this.lTime = copy(this.lTime, new Float64Array(n));
    this.lOrder = copy(this.lOrder, new Float64Array(n));
    this.lKind = copy(this.lKind, new Uint8Array(n));
    this.lA = copy(this.lA, new Int32Array(n));
    this.lB = copy(this.lB, new Int32Array(n));
    this.lHead = 0;
    this.lcap = n;
  }

  private release(slot: number): void {
    this.pos[slot] = -1;
    this.free[this.freeTop++] = slot;
  }

  /** Time of the next event (Infinity when empty). */
  peekTime(): number {
    const h = this.size === 0 ? Infinity : this.time[this.heap[0]];
    return this.lSize === 0 ? h : Math.min(h, this.lTime[this.lHead]);
  }

  /** Removes the earliest event into `t`, `k`, `ea`, `eb`. Returns false when empty. */
  pop(): boolean {
    if (this.lSize > 0) {
      const i = this.lHead;
      const lt = this.lTime[i];
      let first = this.size === 0;
      if (!first) {
        const top = this.heap[0];
        const ht = this.time[top];
        first = lt < ht || (lt === ht && this.lOrder[i] < this.order[top]);
      }
      if (first) {
        this.t = lt;
        this.k = this.lKind[i];
        this.ea = this.lA[i];
        this.eb = this.lB[i];
        this.lHead = (i + 1) & (this.lcap - 1);
        this.lSize--;
        return true;
      }
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
