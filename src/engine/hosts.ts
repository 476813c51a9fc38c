/**
 * Host names: short-name expansion, wildcard matching (Istio's host.Name semantics), Envoy's
 * virtual-host domain lookup, exportTo visibility.
 */

export const CLUSTER_DOMAIN = 'svc.cluster.local';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
export const isIp = (h: string): boolean => IPV4.test(h) || h.includes(':');

/**
 * Istio's ResolveShortnameToFQDN: a name without a dot is expanded with the namespace of the
 * resource that contains it; names with a dot, `*` and IPs are kept (lower-cased).
 */
export function resolveShortName(host: string, namespace: string): string {
  const h = host.trim().toLowerCase();
  if (h === '' || h === '*' || h.includes('.') || isIp(h)) return h;
  return `${h}.${namespace}.${CLUSTER_DOMAIN}`;
}

export const isWildcard = (h: string): boolean => h.startsWith('*');

/** Istio host.Name.Matches: equal, or either side a wildcard covering the other. */
export function hostMatches(a: string, b: string): boolean {
  const aw = isWildcard(a);
  const bw = isWildcard(b);
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** Istio host.Name.SubsetOf: every name `a` covers is covered by `b`. */
export function hostSubsetOf(a: string, b: string): boolean {
  if (isWildcard(b)) {
    if (isWildcard(a)) return a.slice(1).endsWith(b.slice(1));
    return a.endsWith(b.slice(1));
  }
  return !isWildcard(a) && a === b;
}

/** Strips `:port` from a Host header value (keeps IPv6 brackets' content intact). */
export function stripPort(authority: string): string {
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    return end > 0 ? authority.slice(0, end + 1) : authority;
  }
  const i = authority.lastIndexOf(':');
  return i >= 0 && authority.indexOf(':') === i ? authority.slice(0, i) : authority;
}

export function portOf(authority: string): number | null {
  const host = stripPort(authority);
  if (host.length === authority.length) return null;
  const p = Number(authority.slice(host.length + 1));
  return Number.isInteger(p) ? p : null;
}

/**
 * Returns the internalised (flat, unique) copy of a string: lookups of internalised keys compare
 * by pointer. Used for hosts on both sides of the hot-path Map lookups.
 */
export function intern(s: string): string {
  const o: Record<string, number> = { [s]: 0 };
  for (const k in o) return k;
  return s;
}

/**
 * Envoy virtual-host domain lookup: exact, then suffix wildcards (`*.foo.com`, longest first),
 * then prefix wildcards (`foo.*`, longest first), then `*`. A wildcard matches at least one char.
 * Domains are lower-cased; lookups take an already lower-cased host without port.
 */
export class DomainIndex<T> {
  private readonly exact = new Map<string, T>();
  private suffixes: Array<{ suffix: string; value: T }> = [];
  private prefixes: Array<{ prefix: string; value: T }> = [];
  private star: T | undefined;

  /** Adds a domain; returns false if it is already taken (Envoy rejects duplicates, Istio drops them). */
  add(domain: string, value: T): boolean {
    const d = domain.toLowerCase();
    if (d === '*') {
      if (this.star !== undefined) return false;
      this.star = value;
      return true;
    }
    if (d.startsWith('*')) {
      const suffix = d.slice(1);
      if (this.suffixes.some((s) => s.suffix === suffix)) return false;
      this.suffixes.push({ suffix, value });
      this.suffixes.sort((a, b) => b.suffix.length - a.suffix.length);
      return true;
    }
    if (d.endsWith('*')) {
      const prefix = d.slice(0, -1);
      if (this.prefixes.some((s) => s.prefix === prefix)) return false;
      this.prefixes.push({ prefix, value });
      this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
      return true;
    }
    if (this.exact.has(d)) return false;
    this.exact.set(intern(d), value);
    return true;
  }

  has(domain: string): boolean {
    const d = domain.toLowerCase();
    if (d === '*') return this.star !== undefined;
    if (d.startsWith('*')) return this.suffixes.some((s) => s.suffix === d.slice(1));
    if (d.endsWith('*')) return this.prefixes.some((s) => s.prefix === d.slice(0, -1));
    return this.exact.has(d);
  }

  lookup(host: string): T | undefined {
    const e = this.exact.get(host);
    if (e !== undefined) return e;
    const hl = host.length;
    const sx = this.suffixes;
    for (let i = 0; i < sx.length; i++) {
      const s = sx[i].suffix;
      if (hl > s.length && host.endsWith(s)) return sx[i].value;
    }
    const px = this.prefixes;
    for (let i = 0; i < px.length; i++) {
      const p = px[i].prefix;
      if (hl > p.length && host.startsWith(p)) return px[i].value;
    }
    return this.star;
  }
}

/**
 * exportTo visibility: empty/absent or `*` → everywhere; `.` → own namespace; `~` → nowhere;
 * otherwise the listed namespaces.
 */
export function isExportedTo(exportTo: readonly string[] | undefined | null, ownNamespace: string, toNamespace: string): boolean {
  if (!exportTo || exportTo.length === 0) return true;
  for (const e of exportTo) {
    if (e === '*') return true;
    if (e === '.' && ownNamespace === toNamespace) return true;
    if (e === toNamespace) return true;
  }
  return false;
}

/** Istio's VirtualService ordering groups for a proxy namespace: 0 private (`.`), 1 exported by name, 2 public. */
export function exportGroup(exportTo: readonly string[] | undefined | null, ownNamespace: string, toNamespace: string): number {
  if (!exportTo || exportTo.length === 0 || exportTo.includes('*')) {
    if (exportTo?.includes('.') && ownNamespace === toNamespace) return 0;
    return 2;
  }
  if (exportTo.includes('.') && ownNamespace === toNamespace) return 0;
  return 1;
}

/** The most specific of several matching wildcard/exact hosts for `name` (exact first, then longest). */
export function mostSpecific<T extends { host: string }>(name: string, candidates: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const c of candidates) {
    if (!hostMatches(c.host, name)) continue;
    if (!best) best = c;
    else if (c.host === name && best.host !== name) best = c;
    else if (best.host !== name && c.host.length > best.host.length) best = c;
  }
  return best;
}
