/**
 * A cluster state's hot numbers: a header of 16 numbers (a row of the PoolStore), then its
 * load-balancer state, then its pools. A request reads and writes them with the hosts' active
 * counts in one or two cache lines (as object fields they took three or four) and, with the
 * header's place (`ClusterState.hb`, kept on the request as `r.hb`) at hand, without waiting for
 * the ClusterState object: hot paths read the rows directly, with the constants below; the
 * object's accessors (cluster.ts) serve set-up and the rarer paths.
 */
import type { Rng } from '../rng';

/** Load balancers (`H_LB`). */
export const LB_LEAST_REQUEST = 0;
export const LB_ROUND_ROBIN = 1;
export const LB_RANDOM = 2;
export const LB_PASSTHROUGH = 3;
export const LB_HASH = 4;

export const H_NHOSTS = 0;
export const H_LB = 1;
export const H_NHEALTHY = 2;
export const H_PANIC = 3;
/** HF_EQUAL_WEIGHTS | HF_OD. */
export const H_FLAGS = 4;
export const H_POOL_BASE = 5;
export const H_RQ_ACTIVE = 6;
export const H_MAX_REQUESTS = 7;
export const H_STREAM_LIMIT = 8;
export const H_RQ_TOTAL = 9;
export const H_RQ_COMPLETED = 10;
export const H_RQ_2XX = 11;
export const H_RETRY_ACTIVE = 12;
export const H_MAX_RETRIES = 13;
export const H_PENDING_ACTIVE = 14;
export const H_MAX_PENDING = 15;
export const HEADER = 16;
/** `H_FLAGS`: the hosts' weights are equal; the cluster has outlier detection (`od`). */
export const HF_EQUAL_WEIGHTS = 1;
export const HF_OD = 2;

/** `fastPick`: not one of its cases. */
export const PICK_SLOW = -2;

/**
 * The common cases of `ClusterState.pick` (one healthy host; Istio's default balancer over equal
 * weights), from the cluster's rows alone (`p`, header at `hb`), with the same draws; PICK_SLOW for
 * any other case.
 */
export function fastPick(p: Int32Array, hb: number, rng: Rng): number {
  const nh = p[hb + H_NHOSTS];
  const nHealthy = p[hb + H_NHEALTHY];
  const lb = p[hb + H_LB];
  const panic = p[hb + H_PANIC];
  if (lb === LB_PASSTHROUGH || (panic > 0 && nHealthy * 100 < panic * nh)) return PICK_SLOW;
  const b = hb + HEADER;
  if (nHealthy === 1) return p[b];
  if (lb === LB_LEAST_REQUEST && (p[hb + H_FLAGS] & HF_EQUAL_WEIGHTS) !== 0 && nHealthy > 1) {
    const x = p[b + rng.nextInt(nHealthy)];
    const y = p[b + rng.nextInt(nHealthy)];
    const act = b + nh;
    return p[act + y] < p[act + x] ? y : x;
  }
  return PICK_SLOW;
}
