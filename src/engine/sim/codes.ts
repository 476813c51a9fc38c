/**
 * Numeric codes shared by the simulator's modules: event kinds, statuses beyond HTTP, response
 * flags (bits, Envoy's names), request modes, attempt states and failure kinds. Plain numbers so
 * that the hot loop compares small integers, never strings.
 */

// ---- event kinds (EventQueue `k`) ----
export const EV_ARRIVE = 1;
export const EV_OPEN = 2;
export const EV_ROUTER = 3;
export const EV_CONNECTED = 4;
export const EV_RESPONSE = 5;
export const EV_PER_TRY = 6;
export const EV_TIMEOUT = 7;
export const EV_BACKOFF = 8;
export const EV_L4_CONNECTED = 9;
export const EV_HOP = 10;

// ---- statuses beyond HTTP (indices into status counters) ----
export const ST_RESET = 1000;
export const ST_REFUSED = 1001;
export const ST_TLS_FAIL = 1002;
export const ST_CONNECTED = 1003;
export const N_STATUS = 1004;
export const OUTCOME_NAMES = ['connection_reset', 'connection_refused', 'tls_handshake_failure', 'connected'];

// ---- response flags (bits) ----
export const F_NR = 1 << 0;
export const F_NC = 1 << 1;
export const F_UH = 1 << 2;
export const F_UO = 1 << 3;
export const F_UF = 1 << 4;
export const F_UC = 1 << 5;
export const F_UT = 1 << 6;
export const F_URX = 1 << 7;
export const F_FI = 1 << 8;
export const F_DI = 1 << 9;
export const FLAG_NAMES = ['NR', 'NC', 'UH', 'UO', 'UF', 'UC', 'UT', 'URX', 'FI', 'DI'];

// ---- request modes ----
/** HTTP through a client proxy: router, pools, retries. */
export const M_HTTP = 0;
/** TCP/TLS through a client proxy (tcp_proxy): one connection per request. */
export const M_L4 = 1;
/** No proxy on the client side (kube-proxy, PassthroughCluster). */
export const M_DIRECT = 2;

// ---- attempt states ----
export const A_IDLE = 0;
export const A_PENDING = 1;
export const A_ACTIVE = 2;
export const A_BACKOFF = 3;
export const A_CONNECTING = 4;
export const A_DELAY = 5;

// ---- attempt failures (no HTTP answer) ----
export const FAIL_NONE = 0;
export const FAIL_CONNECT = 1;
export const FAIL_RESET = 2;
export const FAIL_TIMEOUT = 3;

/** Istio's "unset" circuit-breaker threshold. */
export const U32_MAX = 4294967295;
/** The largest small integer V8 stores in an object field (x64): "no limit" in hot fields. */
export const SMI_MAX = 2147483647;
