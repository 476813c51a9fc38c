/**
 * Analyzer message types. Pure data (structured-clone safe): messages cross the worker boundary and are printed by
 * the CLI as JSON.
 */
import type { FieldPath, ResourceKey, TextRange } from '../model/resource';

export type Level = 'Error' | 'Warning' | 'Info';

/** Ordering for thresholds: Error > Warning > Info. */
export const LEVEL_RANK: Record<Level, number> = { Info: 0, Warning: 1, Error: 2 };

/**
 * A suggested edit, as data: the UI turns it into a text edit through the edit engine. `title` is what a quick-fix
 * button says; the other fields say exactly what to change.
 */
export type Fix =
  /** Add subset `subset` with `labels`: into `destinationRule` when given, else into a new DestinationRule for `host`. */
  | { title: string; kind: 'createSubset'; host: string; namespace: string; subset: string; labels: Record<string, string>; destinationRule?: ResourceKey }
  /** Add a port to a Service (`ports[]` item `{name, port}`) or a ServiceEntry (`{number, name, protocol}`). */
  | { title: string; kind: 'addPort'; target: ResourceKey; port: number; name: string; protocol: 'HTTP' | 'TCP' | 'TLS' }
  /** Set `port: {number}` on the destination at `path` (one of `choices`, `port` suggested). */
  | { title: string; kind: 'setDestinationPort'; target: ResourceKey; path: FieldPath; port: number; choices: number[] }
  /** Delete the list item at `path` (an `http`/`tcp`/`tls` rule). */
  | { title: string; kind: 'removeRule'; target: ResourceKey; path: FieldPath }
  /** Delete the list item at `path` (one `match` entry of a rule). */
  | { title: string; kind: 'removeMatch'; target: ResourceKey; path: FieldPath }
  /** Set `weight` of each item of the `route` list at `path` to `weights[i]` (same order, same length). */
  | { title: string; kind: 'normalizeWeights'; target: ResourceKey; path: FieldPath; weights: number[] };

export type FixKind = Fix['kind'];

export interface Message {
  /** `IST0101`… for checks istioctl has, `MC1xx` for ours. */
  code: string;
  /** istioctl's message name (e.g. `ReferencedResourceNotFound`), or ours. */
  name: string;
  level: Level;
  /** `<Kind> <namespace>/<name>` (`<Kind> <name>` for cluster-scoped kinds). */
  resource: string;
  key: ResourceKey;
  /** Field the message is about, inside `key`'s object (e.g. `['spec','http',0,'route',1,'destination','subset']`). */
  path: FieldPath;
  message: string;
  fix?: Fix;
  /** Other resources involved (the conflicting VirtualService, the PeerAuthentication…): for canvas badges. */
  related?: ResourceKey[];
}

export interface LocatedMessage extends Message {
  /** 1-based position of the field (or of its closest ancestor present in the text). */
  line: number;
  column: number;
  range: TextRange;
}

export interface AnalyzeOptions {
  /** Istio's root namespace; defaults to the design's mesh config (ConfigMap istio) or `istio-system`. */
  rootNamespace?: string;
  /** Codes not to report. */
  suppress?: readonly string[];
}

/** Every code the analyzer emits, with its name and default level. */
export const CODES = {
  IST0101: { name: 'ReferencedResourceNotFound', level: 'Error' },
  IST0106: { name: 'SchemaValidationError', level: 'Error' },
  IST0109: { name: 'ConflictingMeshGatewayVirtualServiceHosts', level: 'Error' },
  IST0112: { name: 'VirtualServiceDestinationPortSelectorRequired', level: 'Error' },
  IST0118: { name: 'PortNameIsNotUnderNamingConvention', level: 'Info' },
  IST0130: { name: 'VirtualServiceUnreachableRule', level: 'Warning' },
  IST0131: { name: 'VirtualServiceIneffectiveMatch', level: 'Info' },
  IST0132: { name: 'VirtualServiceHostNotFoundInGateway', level: 'Warning' },
  IST0145: { name: 'ConflictingGateways', level: 'Error' },
  IST0162: { name: 'GatewayPortNotDefinedOnService', level: 'Warning' },
  IST0173: { name: 'DestinationRuleSubsetNotSelectPods', level: 'Error' },
  IST0174: { name: 'UnknownDestinationRuleHost', level: 'Warning' },
  MC100: { name: 'UnresolvedReference', level: 'Info' },
  MC101: { name: 'RouteWeights', level: 'Info' },
  MC102: { name: 'DuplicateSubset', level: 'Warning' },
  MC103: { name: 'SubsetWithoutLabels', level: 'Info' },
  MC104: { name: 'MultipleVirtualServicesForHost', level: 'Info' },
  MC105: { name: 'StrictMtlsWithTlsDisabled', level: 'Error' },
  MC106: { name: 'MtlsDisabledButClientsSendMtls', level: 'Error' },
  MC107: { name: 'GatewayPortProtocolConflict', level: 'Warning' },
} as const satisfies Record<string, { name: string; level: Level }>;

export type Code = keyof typeof CODES;
