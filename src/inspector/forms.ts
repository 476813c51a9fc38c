/** Pure helpers of the resource forms: defaults for new list items, checks that span fields, lookups. */
import { selectorMatches } from '../model/hosts';
import type { Resource, ResourceKey } from '../model/resource';
import { getIn, isObj, type Obj } from './values';

/** A new server for a gateway: HTTPS on 443 for the first server's hosts (or HTTP on a free port when 443 is taken). */
export function newServer(servers: readonly Obj[]): Obj {
  const hosts = (getIn(servers[0], ['hosts']) as string[] | undefined) ?? ['*'];
  const used = new Set(servers.map((s) => getIn(s, ['port', 'number'])));
  if (!used.has(443)) return { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: [...hosts], tls: { mode: 'SIMPLE', credentialName: 'my-credential' } };
  let n = 8080;
  while (used.has(n)) n++;
  return { port: { number: n, name: `http-${n}`, protocol: 'HTTP' }, hosts: [...hosts] };
}

/** Pod labels must keep what the Deployment's selector matches on, or Kubernetes rejects it. */
export function checkPodLabels(selector: unknown, next: Record<string, string> | undefined): string | undefined {
  if (!isObj(selector)) return undefined;
  const missing = Object.entries(selector).find(([k, v]) => next?.[k] !== v);
  return missing ? `The selector needs ${missing[0]}=${String(missing[1])}: keep it in the labels.` : undefined;
}

/** Deployments the Service selects, with their `version` labels. */
export function workloads(resources: readonly Resource[], svc: Resource): { key: ResourceKey; name: string; version?: string; replicas: number }[] {
  const selector = (svc.spec as Obj).selector as Record<string, string> | undefined;
  if (!selector || !Object.keys(selector).length) return [];
  return resources
    .filter((r) => r.kind === 'Deployment' && r.namespace === svc.namespace)
    .map((d) => ({ d, labels: ((d.spec as Obj).template as Obj | undefined)?.metadata as Obj | undefined }))
    .filter(({ labels }) => isObj(labels?.labels) && selectorMatches(selector, labels.labels as Record<string, string>))
    .map(({ d, labels }) => ({ key: d.key, name: d.name, version: (labels!.labels as Record<string, string>).version, replicas: typeof (d.spec as Obj).replicas === 'number' ? ((d.spec as Obj).replicas as number) : 1 }));
}

