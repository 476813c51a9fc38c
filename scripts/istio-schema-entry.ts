/**
 * Entry for scripts/gen-schema.mjs: the Istio kinds the YAML editor knows, re-exported under
 * their kind names so ts-json-schema-generator emits one definition per kind (with Istio's doc
 * comments as descriptions). Only the v1 types are listed: the v1beta1/v1alpha3 types are
 * identical apart from `apiVersion`, which gen-schema.mjs widens to a union of all versions
 * (and warns if the packages ever stop being identical).
 */
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import type { IServiceEntry } from '@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry';
import type { ISidecar } from '@kubernetes-models/istio/networking.istio.io/v1/Sidecar';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';

export type VirtualService = IVirtualService;
export type DestinationRule = IDestinationRule;
export type Gateway = IGateway;
export type ServiceEntry = IServiceEntry;
export type Sidecar = ISidecar;
export type PeerAuthentication = IPeerAuthentication;
