/**
 * Envoy-named cluster stats (`cluster.<name>.` prefix added in results): the names, their indices,
 * and one growing buffer holding every cluster state's counters.
 */
export const STAT_NAMES = [
  'upstream_rq_total', 'upstream_rq_completed', 'upstream_rq_2xx', 'upstream_rq_3xx', 'upstream_rq_4xx', 'upstream_rq_5xx',
  'upstream_rq_pending_total', 'upstream_rq_pending_overflow', 'upstream_rq_pending_failure_eject',
  'upstream_cx_total', 'upstream_cx_overflow', 'upstream_cx_connect_fail', 'upstream_cx_destroy', 'upstream_cx_max_requests', 'upstream_cx_none_healthy',
  'upstream_rq_timeout', 'upstream_rq_per_try_timeout', 'upstream_rq_rx_reset',
  'upstream_rq_retry', 'upstream_rq_retry_success', 'upstream_rq_retry_overflow', 'upstream_rq_retry_limit_exceeded',
  'outlier_detection.ejections_enforced_total', 'outlier_detection.ejections_enforced_consecutive_5xx', 'outlier_detection.ejections_detected_consecutive_5xx',
  'outlier_detection.ejections_enforced_consecutive_gateway_failure', 'outlier_detection.ejections_detected_consecutive_gateway_failure',
  'outlier_detection.ejections_enforced_consecutive_local_origin_failure', 'outlier_detection.ejections_detected_consecutive_local_origin_failure',
  'outlier_detection.ejections_overflow',
] as const;
const S = Object.fromEntries(STAT_NAMES.map((n, i) => [n, i])) as Record<(typeof STAT_NAMES)[number], number>;
export const ST_RQ_TOTAL = S.upstream_rq_total;
export const ST_RQ_COMPLETED = S.upstream_rq_completed;
export const ST_RQ_2XX = S.upstream_rq_2xx;
export const ST_RQ_PENDING_TOTAL = S.upstream_rq_pending_total;
export const ST_RQ_PENDING_OVERFLOW = S.upstream_rq_pending_overflow;
export const ST_RQ_PENDING_FAILURE_EJECT = S.upstream_rq_pending_failure_eject;
export const ST_CX_TOTAL = S.upstream_cx_total;
export const ST_CX_OVERFLOW = S.upstream_cx_overflow;
export const ST_CX_CONNECT_FAIL = S.upstream_cx_connect_fail;
export const ST_CX_DESTROY = S.upstream_cx_destroy;
export const ST_CX_MAX_REQUESTS = S.upstream_cx_max_requests;
export const ST_CX_NONE_HEALTHY = S.upstream_cx_none_healthy;
export const ST_RQ_TIMEOUT = S.upstream_rq_timeout;
export const ST_RQ_PER_TRY_TIMEOUT = S.upstream_rq_per_try_timeout;
export const ST_RQ_RX_RESET = S.upstream_rq_rx_reset;
export const ST_RQ_RETRY = S.upstream_rq_retry;
export const ST_RQ_RETRY_SUCCESS = S.upstream_rq_retry_success;
export const ST_RQ_RETRY_OVERFLOW = S.upstream_rq_retry_overflow;
export const ST_RQ_RETRY_LIMIT_EXCEEDED = S.upstream_rq_retry_limit_exceeded;
export const ST_OD_ENF_TOTAL = S['outlier_detection.ejections_enforced_total'];
export const ST_OD_OVERFLOW = S['outlier_detection.ejections_overflow'];
/** [enforced, detected] stat per ejection type. */
export const OD_STATS = [
  [S['outlier_detection.ejections_enforced_consecutive_5xx'], S['outlier_detection.ejections_detected_consecutive_5xx']],
  [S['outlier_detection.ejections_enforced_consecutive_gateway_failure'], S['outlier_detection.ejections_detected_consecutive_gateway_failure']],
  [S['outlier_detection.ejections_enforced_consecutive_local_origin_failure'], S['outlier_detection.ejections_detected_consecutive_local_origin_failure']],
];
export const OD_REASONS = ['consecutive_5xx', 'consecutive_gateway_failure', 'consecutive_local_origin_failure'] as const;

/** The stats of every cluster state in one growing buffer (a cluster's counters are one slice, not an object of their own). */
export class StatStore {
  buf = new Float64Array(STAT_NAMES.length * 256);
  private used = 0;

  /** A copy of the counters so far. */
  snapshot(): Float64Array {
    return this.buf.slice(0, this.used);
  }

  /** Room for `n` cluster states before any is made (a guess from the traffic: growing copies the counters into memory touched for the first time, see pool.ts `grown`). */
  reserve(n: number): void {
    if (this.used > 0 || n * STAT_NAMES.length <= this.buf.length) return;
    this.buf = new Float64Array(n * STAT_NAMES.length);
  }

  alloc(): number {
    const base = this.used;
    this.used += STAT_NAMES.length;
    if (this.used > this.buf.length) {
      // Four times larger: fewer copies, and pages never written cost nothing (see pool.ts `grown`).
      const grown = new Float64Array(this.buf.length * 4);
      grown.set(this.buf);
      this.buf = grown;
    }
    return base;
  }
}
