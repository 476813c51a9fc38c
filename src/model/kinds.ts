/** Which apiVersion/kind pairs the model understands. */
import type { KnownKind } from './resource';

const istioNetworking = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'];
const istioSecurity = ['security.istio.io/v1', 'security.istio.io/v1beta1'];

export const KIND_API_VERSIONS: Record<KnownKind, readonly string[]> = {
  VirtualService: istioNetworking,
  DestinationRule: istioNetworking,
  Gateway: istioNetworking,
  ServiceEntry: istioNetworking,
  Sidecar: istioNetworking,
  PeerAuthentication: istioSecurity,
  Namespace: ['v1'],
  Service: ['v1'],
  Deployment: ['apps/v1'],
  Pod: ['v1'],
  ConfigMap: ['v1'],
};

export const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['Namespace']);

export function isKnownKind(apiVersion: string, kind: string): kind is KnownKind {
  // Own properties only: `kind: constructor` or `kind: toString` must not find Object.prototype members.
  const versions = Object.hasOwn(KIND_API_VERSIONS, kind) ? KIND_API_VERSIONS[kind as KnownKind] : undefined;
  return !!versions && versions.includes(apiVersion);
}

/**
 * The kind used in resource keys: the plain kind for kinds we understand, `kind.group` for others
 * whose kind name collides with one of ours (e.g. the Kubernetes Gateway API's `Gateway`).
 */
export function keyKind(apiVersion: string, kind: string): string {
  if (isKnownKind(apiVersion, kind) || !Object.hasOwn(KIND_API_VERSIONS, kind)) return kind;
  const slash = apiVersion.indexOf('/');
  return `${kind}.${slash < 0 ? 'core' : apiVersion.slice(0, slash)}`;
}
