/**
 * A Service: its name (renaming follows into Deployments and hosts), ports, versions (a Deployment and a subset
 * each), its DestinationRule's traffic policy and the namespace's mTLS mode.
 */
import { useState } from 'react';
import type { GraphNode } from '../graph/types';
import { serviceFqdn } from '../model/hosts';
import type { Resource, ResourceKey } from '../model/resource';
import { workloads } from './forms';
import { useStore } from '../store/store';
import { edit, IconButton, Note, Section, SelectField, TextField } from './fields';
import { PolicyForm } from './PolicyForm';
import { PEER_MODES } from './policy';
import { integer, text, type Obj } from './values';

const SERVICE_NAME: [RegExp, string] = [/^[a-z]([-a-z0-9]*[a-z0-9])?$/, 'Lower-case letters, digits and "-", starting with a letter.'];
const PORT_NAME: [RegExp, string] = [/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'Lower-case letters, digits and "-" (Istio reads the protocol from a prefix like http-).'];

export function ServiceForm({ node, service, destinationRule }: { node: GraphNode; service?: ResourceKey; destinationRule?: ResourceKey }) {
  const resources = useStore((s) => s.resources);
  const svc = service && resources.find((r) => r.key === service);
  const dr = destinationRule && resources.find((r) => r.key === destinationRule);
  if (!svc) {
    return (
      <>
        <Note>{node.implicit ? 'Routes name this host, but the design has no Service for it.' : 'This host has no Kubernetes Service in the design.'}</Note>
        {dr ? <PolicyForm target={{ dr: dr.key }} policy={(dr.spec as Obj).trafficPolicy} /> : null}
      </>
    );
  }
  const spec = svc.spec as Obj;
  const ports = (Array.isArray(spec.ports) ? spec.ports : []) as Obj[];
  const rename = async (name: string | undefined) => {
    if (!name) return { ok: false as const, error: 'A Service needs a name.' };
    const outcome = await edit({ type: 'renameService', service: svc.key, name });
    if (outcome.ok) useStore.getState().select({ kind: 'node', id: `svc:${serviceFqdn(name, svc.namespace)}` });
    return outcome;
  };
  const setPorts = (next: Obj[]) => edit({ type: 'setField', key: svc.key, path: ['spec', 'ports'], value: next.length ? next : undefined });
  return (
    <>
      <div className="insp-grid">
        <TextField label="Name" name="Service name" value={svc.name} parse={text({ required: 'A Service needs a name.', pattern: SERVICE_NAME })} at={[svc.key, ['metadata', 'name']]} onCommit={rename} hint="Renames its Deployments and the hosts that name it too" wide />
      </div>
      <Section title="Ports" at={[svc.key, ['spec', 'ports']]}>
        {ports.map((p, i) => (
          <div key={i} className="insp-port">
            <TextField label="Name" name={`Port ${i + 1} name`} value={p.name} parse={text({ pattern: PORT_NAME })} at={[svc.key, ['spec', 'ports', i, 'name']]} onCommit={(v) => edit({ type: 'setField', key: svc.key, path: ['spec', 'ports', i, 'name'], value: v })} />
            <TextField label="Port" name={`Port ${i + 1} number`} value={p.port} parse={integer(1, 65535, 'a port')} at={[svc.key, ['spec', 'ports', i, 'port']]} onCommit={(v) => (v === undefined ? { ok: false as const, error: 'A port needs a number.' } : edit({ type: 'setField', key: svc.key, path: ['spec', 'ports', i, 'port'], value: v }))} />
            <TextField label="Target" name={`Port ${i + 1} target port`} value={p.targetPort} parse={integer(1, 65535, 'a port')} at={[svc.key, ['spec', 'ports', i, 'targetPort']]} onCommit={(v) => edit({ type: 'setField', key: svc.key, path: ['spec', 'ports', i, 'targetPort'], value: v })} />
            <IconButton label={`Remove port ${p.name ?? p.port}`} onClick={() => void setPorts(ports.filter((_, j) => j !== i))}>
              ×
            </IconButton>
          </div>
        ))}
        <button type="button" onClick={() => void setPorts([...ports, { name: `http-${nextPort(ports)}`, port: nextPort(ports), targetPort: nextPort(ports) }])}>
          Add port
        </button>
      </Section>
      <Versions svc={svc} resources={resources} />
      <PolicyForm target={dr ? { dr: dr.key } : { service: svc.key }} policy={dr ? (dr.spec as Obj).trafficPolicy : undefined} title={dr ? `Traffic policy (DestinationRule ${dr.name})` : 'Traffic policy (creates a DestinationRule)'} />
      <PeerAuthentication namespace={svc.namespace} resources={resources} />
    </>
  );
}

const nextPort = (ports: Obj[]) => {
  const used = new Set(ports.map((p) => p.port));
  let n = 8080;
  while (used.has(n)) n++;
  return ports.length ? n : 80;
};

function Versions({ svc, resources }: { svc: Resource; resources: readonly Resource[] }) {
  const list = workloads(resources, svc);
  const [version, setVersion] = useState('');
  const add = async () => {
    if (!version.trim()) return;
    if ((await edit({ type: 'addWorkloadVersion', service: svc.key, version: version.trim() })).ok) setVersion('');
  };
  return (
    <Section title="Versions">
      {list.length === 0 ? <Note>No Deployment in the design carries this Service’s selector.</Note> : null}
      <ul className="insp-versions">
        {list.map((w) => (
          <li key={w.key}>
            <span className="insp-version">{w.version ?? '(no version label)'}</span>
            <span className="insp-muted">
              {w.name} · {w.replicas} pod{w.replicas === 1 ? '' : 's'}
            </span>
            {w.version ? (
              <IconButton label={`Remove version ${w.version}`} onClick={() => void edit({ type: 'removeWorkloadVersion', service: svc.key, version: w.version! })}>
                ×
              </IconButton>
            ) : null}
          </li>
        ))}
      </ul>
      <div className="insp-add">
        <div className="insp-field">
          <label htmlFor="insp-new-version">New version</label>
          <input id="insp-new-version" value={version} placeholder="v3" onChange={(e) => setVersion(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void add()} />
        </div>
        <button type="button" disabled={!version.trim()} onClick={() => void add()}>
          Add version
        </button>
      </div>
    </Section>
  );
}

export function PeerAuthentication({ namespace, resources }: { namespace: string; resources: readonly Resource[] }) {
  const wide = resources.filter((r) => r.kind === 'PeerAuthentication' && r.namespace === namespace && !(r.spec as Obj).selector);
  const pa = wide.find((r) => r.name === 'default') ?? wide[0];
  const mode = String(((pa?.spec as Obj | undefined)?.mtls as Obj | undefined)?.mode ?? '');
  return (
    <Section title={`mTLS of namespace ${namespace}`} at={pa ? [pa.key, ['spec', 'mtls']] : undefined}>
      <div className="insp-grid">
        <SelectField
          label="PeerAuthentication mode"
          name={`PeerAuthentication mode of namespace ${namespace}`}
          value={mode}
          options={[['', pa ? '(not set)' : '(no PeerAuthentication)'], ...PEER_MODES.map((m) => [m, m] as const)]}
          onCommit={(m) => edit({ type: 'setPeerAuthentication', namespace, mode: m as (typeof PEER_MODES)[number] | undefined })}
          wide
        />
      </div>
    </Section>
  );
}
