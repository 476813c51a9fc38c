import type { FieldPath, ResourceKey } from '../model/resource';

/** `namespace`: a collapsed namespace standing for all its nodes (see collapse.ts). */
export type NodeKind = 'ingress' | 'egress' | 'service' | 'subset' | 'external' | 'client' | 'mesh' | 'namespace';

/** Where a node or edge came from: a resource and a field path inside it (for YAML highlighting). */
export interface Origin {
  resource: ResourceKey;
  path: FieldPath;
}

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** Accessible name: `<Kind> <namespace>/<name>`, subsets `Subset <host>/<name>`. */
  label: string;
  /** Short display name. */
  name: string;
  namespace: string;
  /** Subsets: the id of their service node. */
  parent?: string;
  /** Service/subset: workloads (pods) behind it; undefined when the design has no Deployments for it. */
  workloads?: number;
  /** True for hosts referenced by routes that the design does not define. */
  implicit?: boolean;
  /** Extra facts shown on the node (ports, hosts, TLS mode, …). */
  details: string[];
  badges: Badge[];
  origins: Origin[];
}

export type Badge = 'mtls' | 'fault' | 'retry' | 'timeout' | 'mirror' | 'circuit-breaker' | 'outlier' | 'redirect' | 'tls';

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** e.g. `uri prefix /v1`, `*` for a catch-all. */
  match: string;
  /** Share in percent when the route splits traffic; undefined for a single destination. */
  weight?: number;
  protocol: 'http' | 'tcp' | 'tls';
  badges: Badge[];
  /** The VirtualService rule this edge stands for. */
  origins: Origin[];
}

export interface MeshGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}
