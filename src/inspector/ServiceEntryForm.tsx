/** A ServiceEntry (an external or mesh-internal host): hosts, ports, location, resolution and endpoints. */
import type { GraphNode } from '../graph/types';
import type { ResourceKey } from '../model/resource';
import { useStore } from '../store/store';
import { edit, IconButton, Note, Section, SelectField, TextField } from './fields';
import { formatList, HOST, integer, list, text, type Obj } from './values';

export const SE_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'TCP', 'TLS', 'MONGO'] as const;
export const LOCATIONS = ['MESH_EXTERNAL', 'MESH_INTERNAL'] as const;
export const RESOLUTIONS = ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN'] as const;

const ADDRESS: [RegExp, string] = [/^[A-Za-z0-9.:-]+$|^unix:\/\/.+$/, 'an IP address or host name'];

export function ServiceEntryForm({ node, serviceEntry }: { node: GraphNode; serviceEntry?: ResourceKey }) {
  const resources = useStore((s) => s.resources);
  const se = serviceEntry && resources.find((r) => r.key === serviceEntry);
  if (!se) return <Note>Routes name the external host {node.name}, but no ServiceEntry defines it: with REGISTRY_ONLY outbound traffic it is blocked.</Note>;
  const spec = se.spec as Obj;
  const key = se.key;
  const ports = (Array.isArray(spec.ports) ? spec.ports : []) as Obj[];
  const endpoints = (Array.isArray(spec.endpoints) ? spec.endpoints : []) as Obj[];
  const set = (path: (string | number)[], value: unknown) => edit({ type: 'setField', key, path: ['spec', ...path], value });
  const at = (...p: (string | number)[]) => [key, ['spec', ...p]] as const;
  const resolution = String(spec.resolution ?? '');
  return (
    <>
      <div className="insp-grid">
        <TextField label="Hosts" name="ServiceEntry hosts" value={spec.hosts} format={formatList} parse={list(HOST)} at={at('hosts')} onCommit={(v) => (v ? set(['hosts'], v) : { ok: false as const, error: 'A ServiceEntry needs at least one host.' })} hint="Comma-separated" wide />
        <SelectField label="Location" name="ServiceEntry location" value={String(spec.location ?? '')} options={[['', '(not set: MESH_EXTERNAL)'], ...LOCATIONS.map((l) => [l, l] as const)]} at={at('location')} onCommit={(v) => set(['location'], v)} />
        <SelectField label="Resolution" name="ServiceEntry resolution" value={resolution} options={[['', '(not set: NONE)'], ...RESOLUTIONS.map((r) => [r, r] as const)]} at={at('resolution')} onCommit={(v) => set(['resolution'], v)} />
      </div>
      <Section title="Ports" at={at('ports')}>
        {ports.map((p, i) => (
          <div key={i} className="insp-port">
            <TextField label="Number" name={`Port ${i + 1} number`} value={p.number} parse={integer(1, 65535, 'a port')} at={at('ports', i, 'number')} onCommit={(v) => (v === undefined ? { ok: false as const, error: 'A port needs a number.' } : set(['ports', i, 'number'], v))} />
            <TextField label="Name" name={`Port ${i + 1} name`} value={p.name} parse={text({ required: 'A port needs a name.', pattern: [/^[-a-z0-9]+$/, 'Lower-case letters, digits and "-".'] })} at={at('ports', i, 'name')} onCommit={(v) => set(['ports', i, 'name'], v)} />
            <SelectField label="Protocol" name={`Port ${i + 1} protocol`} value={String(p.protocol ?? '')} options={[['', '(not set)'], ...SE_PROTOCOLS.map((x) => [x, x] as const)]} at={at('ports', i, 'protocol')} onCommit={(v) => set(['ports', i, 'protocol'], v)} />
            <IconButton label={`Remove port ${p.number}`} onClick={() => void set(['ports'], ports.length > 1 ? ports.filter((_, j) => j !== i) : undefined)}>
              ×
            </IconButton>
          </div>
        ))}
        <button type="button" onClick={() => void set(['ports'], [...ports, ports.some((p) => p.number === 443) ? { number: 8080, name: 'http-8080', protocol: 'HTTP' } : { number: 443, name: 'https', protocol: 'HTTPS' }])}>
          Add port
        </button>
      </Section>
      <Section title="Endpoints" at={endpoints.length ? at('endpoints') : undefined}>
        {resolution === 'STATIC' && !endpoints.length ? <Note>STATIC resolution needs endpoints with addresses.</Note> : null}
        {resolution !== 'STATIC' && !endpoints.length ? <Note>None: the hosts resolve by {resolution || 'NONE'}.</Note> : null}
        {endpoints.map((e, i) => (
          <div key={i} className="insp-port">
            <TextField label="Address" name={`Endpoint ${i + 1} address`} value={e.address} parse={text({ required: 'An endpoint needs an address.', pattern: ADDRESS })} at={at('endpoints', i, 'address')} onCommit={(v) => set(['endpoints', i, 'address'], v)} />
            <TextField label="Locality" name={`Endpoint ${i + 1} locality`} value={e.locality} parse={text()} placeholder="region/zone" at={at('endpoints', i, 'locality')} onCommit={(v) => set(['endpoints', i, 'locality'], v)} />
            <IconButton label={`Remove endpoint ${e.address ?? i + 1}`} onClick={() => void set(['endpoints'], endpoints.length > 1 ? endpoints.filter((_, j) => j !== i) : undefined)}>
              ×
            </IconButton>
          </div>
        ))}
        <button type="button" onClick={() => void set(['endpoints'], [...endpoints, { address: '10.0.0.1' }])}>
          Add endpoint
        </button>
      </Section>
    </>
  );
}
