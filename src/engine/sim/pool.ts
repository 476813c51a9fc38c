/**
 * What a client proxy's cluster reaches: upstream pods (shared by all proxies), hosts as one
 * cluster sees them (outlier-detection state), connections, and one worker thread's connection
 * pool to one host (ready connections, pending requests FIFO), as in Envoy's conn_pool_base.
 *
 * Pools and connections are rows of typed arrays (`PoolStore`), not objects: a run holds tens of
 * thousands of each, and a row is one cache line that the garbage collector never walks or moves.
 */
import type { AppModel } from './app';
import { SMI_MAX } from './codes';

// ---- Transport outcome of a host (TLS / protocol fit, decided once per host) ----
export const T_APP = 0;
export const T_CONNECT_FAIL = 1;
export const T_RESET = 2;
export const T_STATUS = 3;

/**
 * An upstream application instance: a pod of a workload, or an external host. Shared by all client
 * proxies. What serving a request reads and writes is in the run's PodTable (`pIdx`), not here.
 */
export class Pod {
  /** The model's common cases (copied into the PodTable). */
  readonly fixedLatency: number;
  readonly fixedStatus: number;
  readonly maxConcurrency: number;
  /** Neither refuses nor resets: the common case, decided without reading the model. */
  readonly plain: boolean;
  /** Attempts waiting for a slot (maxConcurrency), FIFO from `qHead` (as many as the table's PD_WAITING). */
  queue: unknown[] = [];
  qHead = 0;
  /** A gateway's pod: what reaches it is routed again by its own proxy (hops.ts), the `replica`-th of its workload. */
  gateway = false;
  replica = 0;
  constructor(
    readonly name: string,
    /** `namespace/name`, or `external host:port`. */
    readonly workload: string,
    readonly wIdx: number,
    readonly pIdx: number,
    readonly model: AppModel,
    /** The pod has a sidecar: its proxy turns refused connections and resets into 503 answers. */
    readonly viaSidecar: boolean,
  ) {
    this.fixedLatency = model.latKind === 0 ? model.la : -1;
    this.fixedStatus = model.seq === null && model.errorRate === 0 ? model.status : 0;
    this.maxConcurrency = Math.min(model.maxConcurrency, SMI_MAX);
    this.plain = model.behavior === 0 && model.resetRate === 0;
  }
}

/** PodTable rows: 4 numbers per pod. */
export const PD = 4;
/** Attempts being served, and the most at once (the model's maxConcurrency). */
export const PD_ACTIVE = 0;
export const PD_MAX = 1;
/** Attempts waiting for a slot. */
export const PD_WAITING = 2;
/** The fixed status (bits 0–9; 0: the model draws it), PDI_PLAIN, PDI_GATEWAY, and the event-queue lane + 1 (from bit 12; 0: the heap). */
export const PD_INFO = 3;
export const PDI_STATUS = 1023;
export const PDI_PLAIN = 1 << 10;
export const PDI_GATEWAY = 1 << 11;
export const PDI_LANE_SHIFT = 12;

/**
 * The pods' hot numbers, by pod index: serving a request reads and writes a row of a few thousand
 * (which stay in cache), not the Pod objects (a cache miss each, on the request's critical path).
 */
export class PodTable {
  row = new Int32Array(PD * 64);
  /** The fixed latency (ms; -1: the model draws it). */
  lat = new Float64Array(64);

  /** Adds `pod` (at its index), whose answers go to event-queue lane `lane` (-1: the heap). */
  add(pod: Pod, lane: number): void {
    const i = pod.pIdx;
    if (i >= this.lat.length) {
      this.row = grown(this.row, PD * (i + 1));
      this.lat = grown(this.lat, i + 1);
    }
    const b = i * PD;
    this.row[b + PD_MAX] = pod.maxConcurrency;
    this.row[b + PD_INFO] = pod.fixedStatus | (pod.plain ? PDI_PLAIN : 0) | (pod.gateway ? PDI_GATEWAY : 0) | ((lane + 1) << PDI_LANE_SHIFT);
    this.lat[i] = pod.fixedLatency;
  }
}

/** A host as one client proxy's cluster sees it. */
export class Host {
  // outlier detection
  c5xx = 0;
  cGw = 0;
  cLocal = 0;
  ejected = false;
  ejectedAt = 0;
  backoff = 0;
  times = 0;
  constructor(
    readonly idx: number,
    readonly pod: Pod,
    readonly weight: number,
    readonly transport: number,
    readonly transportStatus: number,
  ) {}
}

export const CX_CONNECTING = 0;
export const CX_OPEN = 1;
export const CX_CLOSED = 2;

/**
 * Pools and connections are rows of 16 numbers (64 bytes) in one array. A pool's row also holds
 * its first connection (most pools never have another): an attempt reads the pool and its
 * connection from one row, where a connection row elsewhere was one more cache miss, and one the
 * attempt had to wait for (its id is read from the pool). Further connections get rows of their
 * own (`P_CS` -1), after the pools made so far. Ids of pools and connections are row numbers.
 * A cluster state's header and load-balancer state take the rows before its pools (cluster.ts).
 */
export const PS = 16;
/** Cluster state (index in `clusterList`; -1: a row holding a connection only). */
export const P_CS = 0;
/** Host index in the cluster (a copy: an attempt reads the row, not the host). */
export const P_HOST = 1;
/** The host's transport outcome plus 4 × its status (with T_STATUS), as `packTransport` packs them. */
export const P_TRANSPORT = 2;
/** The host's pod (index in `pods`). */
export const P_POD = 3;
/** Connections open or being opened. */
export const P_NCONNS = 4;
/** Requests waiting for a connection (FIFO, linked through the requests from `P_HEAD` to `P_TAIL`; -1: none). */
export const P_NPEND = 5;
export const P_HEAD = 6;
export const P_TAIL = 7;
/** The bottom of the stack of ready connections (open, room for a stream, not draining; -1: none); more in `rest`. */
export const P_R0 = 8;
/** How many ready connections `rest` holds for the pool. */
export const P_NREST = 9;

/** Connection fields, from the start of its row (`CX` numbers a row: the same rows as pools). */
export const CX = PS;
export const C_POOL = 10;
export const C_ACTIVE = 11;
export const C_REMAINING = 12;
export const C_DRAINING = 13;
export const C_STATE = 14;
/** Generation: events about an earlier use of the row are recognised by it. */
export const C_GEN = 15;

/** A host's transport outcome and status in one number (`P_TRANSPORT`). */
export function packTransport(transport: number, status: number): number {
  return transport + 4 * status;
}

/** A request as a pool's pending FIFO links it (by id). */
export interface PendingItem {
  readonly id: number;
  nextPending: number;
}

/**
 * A copy of `a` with room for `n`, four times larger at least. Pages never written cost nothing,
 * each page first written costs a page fault: growing by four, the arrays left behind on the way
 * add up to a third of the final size (growing by two, to all of it).
 */
export function grown<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const x = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 4));
  x.set(a);
  return x;
}

/** Every connection pool (one per worker thread, cluster state and host) and every connection of a run. */
export class PoolStore {
  /** Pool and connection rows. Re-read after `addPool` and `allocConn` (the array grows). */
  p = new Int32Array(PS * 1024);
  /** Streams the pool's connections being opened will carry (may exceed 2^31), by pool id. */
  cap = new Float64Array(1024);
  /** Rows used (pools and connection-only rows): the id of the next pool. */
  nRows = 0;
  /** Connection-only rows free for reuse. */
  private free = new Int32Array(1024);
  private freeTop = 0;
  /** Ready connections above `P_R0`, per pool (rare: most pools hold at most one). */
  private readonly rest = new Map<number, number[]>();

  constructor(
    /** Pending requests by id. */
    private readonly items: readonly PendingItem[],
  ) {}

  /**
   * Room for `rows` rows before any is used (a guess from the traffic: growing copies every row
   * made so far into memory the copy then touches for the first time, which costs more than the copy).
   */
  reserve(rows: number): void {
    if (this.nRows > 0 || rows * PS <= this.p.length) return;
    this.p = new Int32Array(rows * PS);
    this.cap = new Float64Array(rows);
  }

  private row(): number {
    const id = this.nRows++;
    if (id * PS + PS > this.p.length) this.p = grown(this.p, (id + 1) * PS);
    if (id >= this.cap.length) this.cap = grown(this.cap, id + 1);
    return id;
  }

  /** Rows for `n` numbers of a cluster's own (its header and load-balancer state); returns where they start in `p`. */
  addRows(n: number): number {
    const first = this.row();
    for (let i = PS; i < n; i += PS) this.row();
    return first * PS;
  }

  /** A pool for cluster state `cs` to `host`; returns its id. A cluster's pools are consecutive rows. */
  addPool(cs: number, host: Host): number {
    const id = this.row();
    const b = id * PS;
    const p = this.p;
    p[b + P_CS] = cs;
    p[b + P_HOST] = host.idx;
    p[b + P_TRANSPORT] = packTransport(host.transport, host.transportStatus);
    p[b + P_POD] = host.pod.pIdx;
    p[b + P_HEAD] = -1;
    p[b + P_TAIL] = -1;
    p[b + P_R0] = -1;
    p[b + C_POOL] = -1;
    p[b + C_STATE] = CX_CLOSED;
    return id;
  }

  /** A connection of `pool` being opened, with generation `gen`, for `remaining` requests: in the pool's own row when that is free. */
  allocConn(pool: number, gen: number, remaining: number): number {
    let id: number;
    if (this.p[pool * PS + C_STATE] === CX_CLOSED) id = pool;
    else if (this.freeTop > 0) id = this.free[--this.freeTop];
    else {
      id = this.row();
      this.p[id * PS + P_CS] = -1;
    }
    const b = id * CX;
    const c = this.p;
    c[b + C_POOL] = pool;
    c[b + C_ACTIVE] = 0;
    c[b + C_REMAINING] = remaining;
    c[b + C_DRAINING] = 0;
    c[b + C_STATE] = CX_CONNECTING;
    c[b + C_GEN] = gen;
    return id;
  }

  /** Closes connection `id` (new generation `gen`) and keeps its row for reuse. */
  freeConn(id: number, gen: number): void {
    const b = id * CX;
    const c = this.p;
    c[b + C_STATE] = CX_CLOSED;
    c[b + C_GEN] = gen;
    c[b + C_POOL] = -1;
    if (c[b + P_CS] >= 0) return;
    if (this.freeTop === this.free.length) this.free = grown(this.free, this.freeTop + 1);
    this.free[this.freeTop++] = id;
  }

  /** The connection the next stream of `pool` goes to, or -1. */
  readyConn(pool: number): number {
    const b = pool * PS;
    if (this.p[b + P_NREST] === 0) return this.p[b + P_R0];
    const rest = this.rest.get(pool)!;
    return rest[rest.length - 1];
  }

  pushReady(pool: number, c: number): void {
    const b = pool * PS;
    const p = this.p;
    if (p[b + P_R0] < 0) p[b + P_R0] = c;
    else {
      let rest = this.rest.get(pool);
      if (rest === undefined) this.rest.set(pool, (rest = []));
      rest.push(c);
      p[b + P_NREST]++;
    }
  }

  /** Removes the connection `readyConn()` returned. */
  popReady(pool: number): void {
    const b = pool * PS;
    const p = this.p;
    if (p[b + P_NREST] > 0) {
      this.rest.get(pool)!.pop();
      p[b + P_NREST]--;
    } else p[b + P_R0] = -1;
  }

  removeReady(pool: number, c: number): void {
    const b = pool * PS;
    const p = this.p;
    const rest = p[b + P_NREST] > 0 ? this.rest.get(pool)! : null;
    if (p[b + P_R0] === c) {
      if (rest !== null) {
        p[b + P_R0] = rest.shift()!;
        p[b + P_NREST]--;
      } else p[b + P_R0] = -1;
    } else if (rest !== null) {
      const i = rest.lastIndexOf(c);
      if (i >= 0) {
        rest.splice(i, 1);
        p[b + P_NREST]--;
      }
    }
  }

  pushPending(pool: number, r: PendingItem): void {
    const b = pool * PS;
    const p = this.p;
    r.nextPending = -1;
    const tail = p[b + P_TAIL];
    if (tail >= 0) this.items[tail].nextPending = r.id;
    else p[b + P_HEAD] = r.id;
    p[b + P_TAIL] = r.id;
    p[b + P_NPEND]++;
  }

  shiftPending(pool: number): PendingItem {
    const b = pool * PS;
    const p = this.p;
    const r = this.items[p[b + P_HEAD]];
    p[b + P_HEAD] = r.nextPending;
    if (r.nextPending < 0) p[b + P_TAIL] = -1;
    r.nextPending = -1;
    p[b + P_NPEND]--;
    return r;
  }

  removePending(pool: number, r: PendingItem): boolean {
    const b = pool * PS;
    const p = this.p;
    let prev: PendingItem | null = null;
    for (let x = p[b + P_HEAD]; x >= 0; ) {
      const it = this.items[x];
      if (it !== r) {
        prev = it;
        x = it.nextPending;
        continue;
      }
      if (prev === null) p[b + P_HEAD] = r.nextPending;
      else prev.nextPending = r.nextPending;
      if (p[b + P_TAIL] === r.id) p[b + P_TAIL] = prev === null ? -1 : prev.id;
      r.nextPending = -1;
      p[b + P_NPEND]--;
      return true;
    }
    return false;
  }

  /** Takes every pending request out (a connect failure fails them all). */
  drainPending(pool: number): PendingItem[] {
    const out: PendingItem[] = [];
    while (this.p[pool * PS + P_NPEND] > 0) out.push(this.shiftPending(pool));
    return out;
  }
}
