/**
 * The hash key of a request for a consistent-hash cluster (DestinationRule `consistentHash`): a
 * header, a query parameter or a cookie of the template's request (hashed once per template), a
 * cookie Envoy generates per client connection, or the source IP. -1: nothing to hash on (a
 * random host).
 */
import { HASH_COOKIE, HASH_HEADER, HASH_QUERY, type ClusterState } from './cluster';
import { hash32 } from './hash';
import type { Req } from './records';

export function hashKey(r: Req, cs: ClusterState): number {
  const tpl = r.tpl!;
  switch (cs.hashKind) {
    case HASH_HEADER:
    case HASH_QUERY: {
      const key = `${cs.hashKind}:${cs.hashName}`;
      let h = (tpl.hashCache ??= new Map()).get(key);
      if (h === undefined) {
        const hop = tpl.prep.hop;
        const v = cs.hashKind === HASH_HEADER ? (tpl.carriesHttp ? hop.headers.get(cs.hashName) : undefined) : hop.query.get(cs.hashName);
        h = v === undefined ? -1 : hash32(v);
        tpl.hashCache.set(key, h);
      }
      return h;
    }
    case HASH_COOKIE: {
      const key = `c:${cs.hashName}`;
      let h = (tpl.hashCache ??= new Map()).get(key);
      if (h === undefined) {
        const cookie = tpl.prep.hop.headers.get('cookie') ?? '';
        const m = cookie.split(';').map((s) => s.trim()).find((s) => s.startsWith(`${cs.hashName}=`));
        h = m !== undefined ? hash32(m.slice(cs.hashName.length + 1)) : -2;
        tpl.hashCache.set(key, h);
      }
      // No cookie: Envoy generates one when a ttl is set, and the client sends it back from then on.
      if (h === -2) return cs.hashCookieTtl ? hash32(`cookie|${tpl.group.idx}|${r.clientIdx}`) : -1;
      return h;
    }
    default: {
      // Source IP: the client pod's (a sidecar), each external client's connection (a gateway), or
      // for a gateway reached from another proxy, that proxy's pod (a client without sidecar: its connection).
      const from = r.parent ?? r;
      const t = from.tpl!;
      return t.kind === 'sidecar' || (from !== r && t.kind === 'gateway') ? hash32(t.insts[from.instIdx].podName) : hash32(`client|${t.group.idx}|${from.clientIdx}`);
    }
  }
}
