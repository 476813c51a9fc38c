/**
 * Meshcraft routing engine: where a request goes in an Istio mesh, what happens to it, and why.
 * Pure TypeScript: runs unchanged in a Web Worker, in Vitest and in the CLI.
 *
 *   const mesh = compileMesh(model, meshConfigOverride);   // once per design
 *   const t = trace(mesh, request, { seed: 1 });            // full journey + explanation
 *   const req = prepare(mesh, request);                     // once per request template
 *   const d = route(mesh, req, createRng(1));               // fast path: first proxy only, no allocation
 *
 * A load simulator reuses `route()` per request and models upstream behaviour itself from the
 * decision: `d.route.action` (fault, timeout, retry, mirrors) and `d.dest` (cluster, subset,
 * DestinationRule), with `clusterEndpoints` and `resolvePolicy`.
 */
export { compileMesh, type CompiledMesh } from './compile';
export { trace, type TraceOptions } from './trace';
export { route, decisionCluster } from './route';
export { prepare, type PreparedRequest, type ResolvedSource } from './prepare';
export { newDecision, type Decision, type DecisionKind, type HopRequest } from './decide';
export { createRng, XorShift32, type Rng } from './rng';
export { formatTrace } from './format';
export { resolvePolicy, type ResolvedPolicy, type MergedDr, type SubsetDef } from './destinationrule';
export { clusterEndpoints } from './upstream';
export type { CompiledDest, CompiledRoute, RouteAction, L4Route } from './routes';
export type { RetryPolicy, FaultPolicy, HeaderPolicy, RedirectPolicy } from './policy';
export type { Endpoint, Service, ServicePort, Workload } from './registry';
export type { VirtualHost, RouteTable } from './tables';
export * from './types';
