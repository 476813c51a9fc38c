/**
 * Schema validation of known kinds with the validators that @kubernetes-models ships (compiled from Istio's
 * and Kubernetes' own OpenAPI schemas). Each error comes back with the field path it concerns.
 */
import { VirtualService as VS1 } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { VirtualService as VSb1 } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import { VirtualService as VSa3 } from '@kubernetes-models/istio/networking.istio.io/v1alpha3/VirtualService';
import { DestinationRule as DR1 } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { DestinationRule as DRb1 } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import { DestinationRule as DRa3 } from '@kubernetes-models/istio/networking.istio.io/v1alpha3/DestinationRule';
import { Gateway as GW1 } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import { Gateway as GWb1 } from '@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway';
import { Gateway as GWa3 } from '@kubernetes-models/istio/networking.istio.io/v1alpha3/Gateway';
import { ServiceEntry as SE1 } from '@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry';
import { ServiceEntry as SEb1 } from '@kubernetes-models/istio/networking.istio.io/v1beta1/ServiceEntry';
import { ServiceEntry as SEa3 } from '@kubernetes-models/istio/networking.istio.io/v1alpha3/ServiceEntry';
import { Sidecar as SC1 } from '@kubernetes-models/istio/networking.istio.io/v1/Sidecar';
import { Sidecar as SCb1 } from '@kubernetes-models/istio/networking.istio.io/v1beta1/Sidecar';
import { Sidecar as SCa3 } from '@kubernetes-models/istio/networking.istio.io/v1alpha3/Sidecar';
import { PeerAuthentication as PA1 } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { PeerAuthentication as PAb1 } from '@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { Pod } from 'kubernetes-models/v1/Pod';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { FieldPath, Resource } from './resource';
import { parsePointer } from './sourcemap';

interface ModelClass {
  new (data: any): { validate(): void };
  apiVersion: string;
  kind: string;
}

const MODELS: ModelClass[] = [VS1, VSb1, VSa3, DR1, DRb1, DRa3, GW1, GWb1, GWa3, SE1, SEb1, SEa3, SC1, SCb1, SCa3, PA1, PAb1, Namespace, Service, Pod, ConfigMap, Deployment] as unknown as ModelClass[];
const BY_TYPE = new Map(MODELS.map((m) => [`${m.apiVersion}|${m.kind}`, m]));

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

export interface SchemaError {
  path: FieldPath;
  message: string;
}

export function validateResource(r: Resource): SchemaError[] {
  const Model = BY_TYPE.get(`${r.apiVersion}|${r.kind}`);
  if (!Model) return [];
  try {
    new Model(r.object).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) return [{ path: [], message: String((e as Error).message ?? e) }];
    return dedupe(errors.map(describe));
  }
}

function describe(err: AjvError): SchemaError {
  const path = parsePointer(err.instancePath);
  const field = path.length ? path.join('.') : '(object)';
  switch (err.keyword) {
    case 'required':
      return { path, message: `${field} is missing required field "${String(err.params.missingProperty)}"` };
    case 'enum':
      return { path, message: `${field} must be one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'additionalProperties':
      return { path: [...path, String(err.params.additionalProperty)], message: `${field} has unknown field "${String(err.params.additionalProperty)}"` };
    default:
      return { path, message: `${field} ${err.message ?? 'is invalid'}` };
  }
}

function dedupe(list: SchemaError[]): SchemaError[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = e.path.join('.') + '|' + e.message;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
