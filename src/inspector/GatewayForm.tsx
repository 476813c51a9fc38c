/** A Gateway (ingress or egress): the workload it runs on (selector) and its servers (port, hosts, TLS). */
import type { GraphNode } from '../graph/types';
import type { ResourceKey } from '../model/resource';
import { useStore } from '../store/store';
import { edit, IconButton, Note, Section, SelectField, TextField } from './fields';
import { newServer } from './forms';
import { formatLabels, formatList, getIn, HOST, integer, isObj, labels, list, setIn, text, type Obj } from './values';

export const SERVER_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'TCP', 'TLS', 'MONGO'] as const;
export const SERVER_TLS_MODES = ['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL'] as const;

export function GatewayForm({ node, gateway }: { node: GraphNode; gateway?: ResourceKey }) {
  const resources = useStore((s) => s.resources);
  const gw = gateway && resources.find((r) => r.key === gateway);
  if (!gw) return <Note>VirtualServices name this gateway, but the design does not define it.</Note>;
  const spec = gw.spec as Obj;
  const servers = (Array.isArray(spec.servers) ? spec.servers : []) as Obj[];
  const setServers = (next: Obj[]) => edit({ type: 'setField', key: gw.key, path: ['spec', 'servers'], value: next });
  const setServer = (i: number, path: string[], v: unknown) => edit({ type: 'setField', key: gw.key, path: ['spec', 'servers', i, ...path], value: v });
  return (
    <>
      <Note>{node.kind === 'egress' ? 'Egress gateway: traffic leaves the mesh through it.' : 'Ingress gateway: traffic from outside enters the mesh through it.'}</Note>
      <div className="insp-grid">
        <TextField label="Selector" name="Gateway selector" value={spec.selector} format={formatLabels} parse={labels} placeholder="istio=ingressgateway" at={[gw.key, ['spec', 'selector']]} onCommit={(v) => edit({ type: 'setField', key: gw.key, path: ['spec', 'selector'], value: v })} hint="Labels of the gateway pods that run these servers" wide />
      </div>
      {servers.map((s, i) => {
        const n = servers.length > 1 ? ` ${i + 1}` : '';
        const tls = isObj(s.tls) ? s.tls : undefined;
        const protocol = String(getIn(s, ['port', 'protocol']) ?? '');
        const secure = protocol === 'HTTPS' || protocol === 'TLS' || !!tls;
        const at = (...p: string[]) => [gw.key, ['spec', 'servers', i, ...p]] as const;
        return (
          <Section
            key={i}
            title={`Server${n}`}
            at={at()}
            actions={servers.length > 1 ? <IconButton label={`Remove server${n}`} onClick={() => void setServers(servers.filter((_, j) => j !== i))}>×</IconButton> : null}
          >
            <div className="insp-grid insp-grid-3">
              <TextField label="Port" name={`Server${n} port number`} value={getIn(s, ['port', 'number'])} parse={integer(1, 65535, 'a port')} at={at('port', 'number')} onCommit={(v) => (v === undefined ? { ok: false as const, error: 'A server needs a port.' } : setServer(i, ['port', 'number'], v))} />
              <TextField label="Port name" name={`Server${n} port name`} value={getIn(s, ['port', 'name'])} parse={text({ pattern: [/^[-a-z0-9]+$/, 'Lower-case letters, digits and "-".'] })} at={at('port', 'name')} onCommit={(v) => setServer(i, ['port', 'name'], v)} />
              <SelectField label="Protocol" name={`Server${n} protocol`} value={protocol} options={SERVER_PROTOCOLS} at={at('port', 'protocol')} onCommit={(v) => (v ? setServer(i, ['port', 'protocol'], v) : undefined)} />
            </div>
            <div className="insp-grid">
              <TextField label="Hosts" name={`Server${n} hosts`} value={s.hosts} format={formatList} parse={list(HOST)} at={at('hosts')} onCommit={(v) => (v ? setServer(i, ['hosts'], v) : { ok: false as const, error: 'A server needs at least one host (* for any).' })} hint="Comma-separated; * for any" wide />
              {secure ? (
                <>
                  <SelectField label="TLS mode" name={`Server${n} TLS mode`} value={String(tls?.mode ?? '')} options={[['', '(not set)'], ...SERVER_TLS_MODES.map((m) => [m, m] as const)]} at={at('tls', 'mode')} onCommit={(v) => setServer(i, ['tls'], setIn(tls, ['mode'], v))} />
                  <TextField label="Credential" name={`Server${n} TLS credential name`} value={tls?.credentialName} parse={text()} placeholder="my-tls-secret" at={at('tls', 'credentialName')} onCommit={(v) => setServer(i, ['tls'], setIn(tls, ['credentialName'], v))} />
                </>
              ) : null}
            </div>
          </Section>
        );
      })}
      <button type="button" onClick={() => void setServers([...servers, newServer(servers)])}>
        Add server
      </button>
    </>
  );
}
