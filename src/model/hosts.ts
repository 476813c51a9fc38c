/** Istio host-name rules shared by the graph, the analyzer and the engine (istio-semantics §2.1–2.2). */

export const CLUSTER_DOMAIN = 'svc.cluster.local';

export const serviceFqdn = (name: string, namespace: string) => `${name}.${namespace}.${CLUSTER_DOMAIN}`;

/**
 * Expand a host as written in a VirtualService / DestinationRule destination: a name without any dot gets
 * the namespace of the resource that contains it; anything with a dot, `*`, wildcards and IP addresses
 * (IPv6 ones have no dot, but a `:`) are literal.
 */
export function expandHost(host: string, namespace: string): string {
  const h = host.toLowerCase();
  if (h === '*' || h.includes('.') || h.startsWith('*') || h.includes(':')) return h;
  return serviceFqdn(h, namespace);
}

/** Does a (possibly wildcard) pattern cover a concrete host? `*.foo.com` covers `a.foo.com`, not `foo.com`. */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

/** Do two host names overlap (either side may be a wildcard)? */
export function hostsIntersect(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

/** `name.namespace.svc.cluster.local` → {name, namespace}; undefined for other hosts. */
export function parseServiceFqdn(host: string): { name: string; namespace: string } | undefined {
  const suffix = '.' + CLUSTER_DOMAIN;
  if (!host.endsWith(suffix)) return undefined;
  const parts = host.slice(0, -suffix.length).split('.');
  return parts.length === 2 && parts[0] !== '*' ? { name: parts[0], namespace: parts[1] } : undefined;
}

/** Gateway reference in `VirtualService.gateways`: `name` → `<vsNamespace>/name`; `ns/name`; legacy `name.ns[.svc…]`; `mesh`. */
export function gatewayRef(ref: string, namespace: string): string {
  if (ref === 'mesh') return 'mesh';
  if (ref.includes('/')) return ref;
  const dot = ref.indexOf('.');
  if (dot > 0) return `${ref.split('.')[1]}/${ref.slice(0, dot)}`;
  return `${namespace}/${ref}`;
}

/** Does a label selector match a label set? An empty selector matches everything. */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  for (const k in selector) if (labels?.[k] !== selector[k]) return false;
  return true;
}
