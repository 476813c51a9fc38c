/**
 * Core model types shared by every layer. Pure TypeScript: no React, no DOM.
 *
 * A design is a YAML text holding any number of Kubernetes/Istio objects. Parsing it
 * (see parse.ts) yields `Resource`s: plain JS objects plus where they live in the text.
 */
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import type { IServiceEntry } from '@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry';
import type { ISidecar } from '@kubernetes-models/istio/networking.istio.io/v1/Sidecar';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPod } from 'kubernetes-models/v1/Pod';

/** `<Kind>/<namespace>/<name>`, e.g. `VirtualService/default/reviews`. */
export type ResourceKey = string & { readonly __brand: 'ResourceKey' };
/** A path of keys and indices inside one resource object, e.g. `['spec','http',0,'route',1,'weight']`. */
export type FieldPath = ReadonlyArray<string | number>;

export const resourceKey = (kind: string, namespace: string, name: string): ResourceKey =>
  `${kind}/${namespace}/${name}` as ResourceKey;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [k: string]: unknown;
}

export type VirtualServiceSpec = NonNullable<IVirtualService['spec']>;
export type DestinationRuleSpec = NonNullable<IDestinationRule['spec']>;
export type GatewaySpec = NonNullable<IGateway['spec']>;
export type ServiceEntrySpec = NonNullable<IServiceEntry['spec']>;
export type SidecarSpec = NonNullable<ISidecar['spec']>;
export type PeerAuthenticationSpec = NonNullable<IPeerAuthentication['spec']>;
export type ServiceSpec = NonNullable<IService['spec']>;
export type DeploymentSpec = NonNullable<IDeployment['spec']>;
export type PodSpec = NonNullable<IPod['spec']>;

/** Kinds the model understands; anything else is kept as an unknown resource and passed through. */
export interface KindSpecs {
  VirtualService: VirtualServiceSpec;
  DestinationRule: DestinationRuleSpec;
  Gateway: GatewaySpec;
  ServiceEntry: ServiceEntrySpec;
  Sidecar: SidecarSpec;
  PeerAuthentication: PeerAuthenticationSpec;
  Namespace: Record<string, unknown>;
  Service: ServiceSpec;
  Deployment: DeploymentSpec;
  Pod: PodSpec;
  ConfigMap: Record<string, unknown>;
}
export type KnownKind = keyof KindSpecs;

export interface Resource<K extends string = string> {
  key: ResourceKey;
  kind: K;
  apiVersion: string;
  name: string;
  /** Namespace from metadata, or `default` when the object has none; `""` for cluster-scoped kinds (Namespace). */
  namespace: string;
  metadata: ObjectMeta;
  /** `spec` for most kinds; `data` for ConfigMap; `{}` when absent. */
  spec: K extends KnownKind ? KindSpecs[K] : Record<string, unknown>;
  /** The whole object as parsed (apiVersion, kind, metadata, spec, status, …). */
  object: Record<string, unknown>;
  /** False for kinds the model does not understand: kept and passed through untouched. */
  known: boolean;
  /** Index of the YAML document holding it, and the path of the object inside that document (`[]`, or `['items', i]` in a List). */
  doc: number;
  base: FieldPath;
}

export type VirtualService = Resource<'VirtualService'>;
export type DestinationRule = Resource<'DestinationRule'>;
export type Gateway = Resource<'Gateway'>;
export type ServiceEntry = Resource<'ServiceEntry'>;
export type Sidecar = Resource<'Sidecar'>;
export type PeerAuthentication = Resource<'PeerAuthentication'>;
export type K8sNamespace = Resource<'Namespace'>;
export type K8sService = Resource<'Service'>;
export type Deployment = Resource<'Deployment'>;
export type Pod = Resource<'Pod'>;
export type ConfigMap = Resource<'ConfigMap'>;

/** A text range: offsets into the whole YAML text, and 1-based line/column for display. */
export interface TextRange {
  from: number;
  to: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** Who found it: YAML syntax, schema validation, the model (e.g. missing kind), or the analyzer. */
  source: 'yaml' | 'schema' | 'model' | 'analyzer';
  /** Istio analyzer code where one applies (IST0106 for schema errors), else a short code of ours. */
  code: string;
  message: string;
  range: TextRange;
  resource?: ResourceKey;
  path?: FieldPath;
}
