/**
 * What a client proxy's cluster reaches: upstream pods (shared by all proxies), hosts as one
 * cluster sees them (outlier-detection state), connections, and one worker thread's connection
 * pool to one host (ready connections, pending requests FIFO), as in Envoy's conn_pool_base.
 */
import type { AppModel } from './app';
import type { ClusterState } from './cluster';
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

export class Conn {
  pool: Pool | null = null;
  active = 0;
  remaining = 0;
  draining = false;
  state = CX_CLOSED;
  gen = 0;
  constructor(readonly id: number) {}
}

/** A request as a pool's pending FIFO links it. */
export interface PendingItem {
  nextPending: PendingItem | null;
}

/** One worker thread's connection pool to one host. */
export class Pool {
  // Declared first so that they share the object's first cache line with the ready connection.
  readonly host: Host;
  readonly cs: ClusterState;
  /** Copies of the host's index, transport outcome and pod: an attempt reads the pool, not the host. */
  readonly hostIdx: number;
  readonly transport: number;
  readonly transportStatus: number;
  readonly pod: Pod;
  /** Connections open or being opened. */
  nConns = 0;
  connectingCap = 0;
  /** Requests waiting for a connection (FIFO). */
  nPending = 0;
  /**
   * Open connections with room for a stream, not draining: a stack whose bottom lives in `r0` (most
   * pools hold at most one such connection, so usually no array is touched).
   */
  private r0: Conn | null = null;
  private rest: Conn[] | null = null;
  /** Pending requests, linked through the requests themselves (no array per pool). */
  private pHead: PendingItem | null = null;
  private pTail: PendingItem | null = null;
  constructor(cs: ClusterState, host: Host, readonly worker: number) {
    this.cs = cs;
    this.host = host;
    this.hostIdx = host.idx;
    this.transport = host.transport;
    this.transportStatus = host.transportStatus;
    this.pod = host.pod;
  }

  /** The connection the next stream goes to, or null. */
  readyConn(): Conn | null {
    const rest = this.rest;
    if (rest !== null && rest.length > 0) return rest[rest.length - 1];
    return this.r0;
  }

  pushReady(c: Conn): void {
    if (this.r0 === null) this.r0 = c;
    else (this.rest ??= []).push(c);
  }

  /** Removes the connection `readyConn()` returned. */
  popReady(): void {
    const rest = this.rest;
    if (rest !== null && rest.length > 0) rest.pop();
    else this.r0 = null;
  }

  removeReady(c: Conn): void {
    const rest = this.rest;
    if (this.r0 === c) this.r0 = rest !== null && rest.length > 0 ? rest.shift()! : null;
    else if (rest !== null) {
      const i = rest.lastIndexOf(c);
      if (i >= 0) rest.splice(i, 1);
    }
  }

  pushPending(r: PendingItem): void {
    r.nextPending = null;
    if (this.pTail !== null) this.pTail.nextPending = r;
    else this.pHead = r;
    this.pTail = r;
    this.nPending++;
  }

  shiftPending(): PendingItem {
    const r = this.pHead!;
    this.pHead = r.nextPending;
    if (this.pHead === null) this.pTail = null;
    r.nextPending = null;
    this.nPending--;
    return r;
  }

  removePending(r: PendingItem): boolean {
    let prev: PendingItem | null = null;
    for (let x = this.pHead; x !== null; prev = x, x = x.nextPending) {
      if (x !== r) continue;
      if (prev === null) this.pHead = r.nextPending;
      else prev.nextPending = r.nextPending;
      if (this.pTail === r) this.pTail = prev;
      r.nextPending = null;
      this.nPending--;
      return true;
    }
    return false;
  }

  /** Takes every pending request out (a connect failure fails them all). */
  drainPending(): PendingItem[] {
    const out: PendingItem[] = [];
    while (this.nPending > 0) out.push(this.shiftPending());
    return out;
  }
}
