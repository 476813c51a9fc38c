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

/** An upstream application instance: a pod of a workload, or an external host. Shared by all client proxies. */
export class Pod {
  active = 0;
  /** Copies of the model's common cases, so that serving a request reads the pod only. */
  readonly fixedLatency: number;
  readonly fixedStatus: number;
  readonly maxConcurrency: number;
  /** Neither refuses nor resets: the common case, decided without reading the model. */
  readonly plain: boolean;
  /** Attempts waiting for a slot (maxConcurrency), FIFO from `qHead`; `waiting` of them. */
  waiting = 0;
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

/** Pool row fields (`PS` numbers a row). */
export const PS = 16;
/** Cluster state (index in `clusterList`). */
export const P_CS = 0;
/** Host index in the cluster, its transport outcome and status (copies: an attempt reads the row, not the host). */
export const P_HOST = 1;
export const P_TRANSPORT = 2;
export const P_TSTATUS = 3;
/** The host's pod (index in `pods`). */
export const P_POD = 4;
/** Connections open or being opened. */
export const P_NCONNS = 5;
/** Requests waiting for a connection (FIFO, linked through the requests from `P_HEAD` to `P_TAIL`; -1: none). */
export const P_NPEND = 6;
export const P_HEAD = 7;
export const P_TAIL = 8;
/** The bottom of the stack of ready connections (open, room for a stream, not draining; -1: none); more in `rest`. */
export const P_R0 = 9;
/** How many ready connections `rest` holds for the pool. */
export const P_NREST = 10;

/** Connection row fields (`CX` numbers a row). */
export const CX = 8;
export const C_POOL = 0;
export const C_ACTIVE = 1;
export const C_REMAINING = 2;
export const C_DRAINING = 3;
export const C_STATE = 4;
/** Generation: events about an earlier use of the row are recognised by it. */
export const C_GEN = 5;

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
function grown<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const x = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 4));
  x.set(a);
  return x;
}

/** Every connection pool (one per worker thread, cluster state and host) and every connection of a run. */
export class PoolStore {
  /** Pool rows. Re-read after `addPool` (the array grows). */
  p = new Int32Array(PS * 1024);
  /** Streams the pool's connections being opened will carry (may exceed 2^31). */
  cap = new Float64Array(1024);
  nPools = 0;
  /** Connection rows. Re-read after `allocConn` (the array grows). */
  c = new Int32Array(CX * 1024);
  private nConns = 0;
  private free = new Int32Array(1024);
  private freeTop = 0;
  /** Ready connections above `P_R0`, per pool (rare: most pools hold at most one). */
  private readonly rest = new Map<number, number[]>();

  constructor(
    /** Pending requests by id. */
    private readonly items: readonly PendingItem[],
  ) {}

  /** A pool for cluster state `cs` to `host`; returns its id. */
  addPool(cs: number, host: Host): number {
    const id = this.nPools++;
    if (id * PS + PS > this.p.length) this.p = grown(this.p, (id + 1) * PS);
    if (id >= this.cap.length) this.cap = grown(this.cap, id + 1);
    const b = id * PS;
    const p = this.p;
    p[b + P_CS] = cs;
    p[b + P_HOST] = host.idx;
    p[b + P_TRANSPORT] = host.transport;
    p[b + P_TSTATUS] = host.transportStatus;
    p[b + P_POD] = host.pod.pIdx;
    p[b + P_HEAD] = -1;
    p[b + P_TAIL] = -1;
    p[b + P_R0] = -1;
    return id;
  }

  /** A connection of `pool` being opened, with generation `gen`, for `remaining` requests. */
  allocConn(pool: number, gen: number, remaining: number): number {
    let id: number;
    if (this.freeTop > 0) id = this.free[--this.freeTop];
    else {
      id = this.nConns++;
      if (id * CX + CX > this.c.length) this.c = grown(this.c, (id + 1) * CX);
    }
    const b = id * CX;
    const c = this.c;
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
    this.c[b + C_STATE] = CX_CLOSED;
    this.c[b + C_GEN] = gen;
    this.c[b + C_POOL] = -1;
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
