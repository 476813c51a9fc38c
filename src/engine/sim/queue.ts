/**
 * The event queue of the discrete-event simulation: a binary min-heap ordered by (time, insertion
 * order), stored in typed arrays so that pushing and popping allocate nothing. Timers that are no
 * longer needed (a route timeout after the answer) are removed with `cancel`, which keeps the heap
 * at the size of what is really pending; events that are not cancelled but have become irrelevant
 * are recognised by their generation number when popped.
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

  private release(slot: number): void {
    this.pos[slot] = -1;
    this.free[this.freeTop++] = slot;
  }

  /** Time of the next event (Infinity when empty). */
  peekTime(): number {
    return this.size === 0 ? Infinity : this.time[this.heap[0]];
  }

  /** Removes the earliest event into `t`, `k`, `ea`, `eb`. Returns false when empty. */
  pop(): boolean {
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
