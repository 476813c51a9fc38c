/** A client workload (a Deployment no Service selects): name, replicas and pod labels. */
import type { GraphNode } from '../graph/types';
import type { ResourceKey } from '../model/resource';
import { useStore } from '../store/store';
import { edit, Note, TextField } from './fields';
import { checkPodLabels } from './forms';
import { formatLabels, getIn, integer, labels, NAME, text, type Obj, type Parsed } from './values';

export function ClientForm({ node, deployment }: { node: GraphNode; deployment?: ResourceKey }) {
  const resources = useStore((s) => s.resources);
  const d = deployment && resources.find((r) => r.key === deployment);
  if (!d) return <Note>{node.label} is not in the design.</Note>;
  const spec = d.spec as Obj;
  const selector = getIn(spec, ['selector', 'matchLabels']);
  const rename = async (name: string | undefined) => {
    if (!name) return { ok: false as const, error: 'A Deployment needs a name.' };
    const outcome = await edit({ type: 'renameResource', key: d.key, name });
    if (outcome.ok) useStore.getState().select({ kind: 'node', id: `wl:${d.namespace}/${name}` });
    return outcome;
  };
  const parseLabels = (s: string): Parsed<Record<string, string>> => {
    const parsed = labels(s);
    if (!parsed.ok) return parsed;
    const error = checkPodLabels(selector, parsed.value);
    return error ? { ok: false, error } : parsed;
  };
  const labelPath = ['spec', 'template', 'metadata', 'labels'];
  return (
    <>
      <Note>A workload in the mesh that no Service selects: it only makes requests.</Note>
      <div className="insp-grid">
        <TextField label="Name" name="Deployment name" value={d.name} parse={text({ required: 'A Deployment needs a name.', pattern: NAME })} at={[d.key, ['metadata', 'name']]} onCommit={rename} wide />
        <TextField label="Replicas" name="Replicas" value={spec.replicas ?? 1} parse={integer(0, 1000)} at={[d.key, ['spec', 'replicas']]} onCommit={(v) => edit({ type: 'setField', key: d.key, path: ['spec', 'replicas'], value: v })} />
        <TextField label="Pod labels" name="Pod labels" value={getIn(spec, ['template', 'metadata', 'labels'])} format={formatLabels} parse={parseLabels} at={[d.key, labelPath]} onCommit={(v) => edit({ type: 'setField', key: d.key, path: labelPath, value: v })} hint="key=value, comma-separated; sidecars and policies select pods by these" wide />
      </div>
    </>
  );
}
