/** A DestinationRule subset: its name (routes that name it follow), labels and its own traffic policy. */
import type { GraphNode } from '../graph/types';
import type { ResourceKey } from '../model/resource';
import { useStore } from '../store/store';
import { edit, Note, TextField } from './fields';
import { PolicyForm } from './PolicyForm';
import { formatLabels, isObj, labels, text, type Obj } from './values';

export function SubsetForm({ node, destinationRule, index }: { node: GraphNode; destinationRule?: ResourceKey; index?: number }) {
  const resources = useStore((s) => s.resources);
  const dr = destinationRule && resources.find((r) => r.key === destinationRule);
  const subsets = (dr && Array.isArray((dr.spec as Obj).subsets) ? (dr.spec as Obj).subsets : []) as Obj[];
  const subset = index !== undefined ? subsets[index] : undefined;
  if (!dr || !isObj(subset) || index === undefined) {
    return (
      <>
        <Note>Routes send traffic to subset “{node.name}”, but no DestinationRule defines it: requests to it fail.</Note>
        {dr ? (
          <button type="button" onClick={() => void edit({ type: 'addSubset', dr: dr.key, name: node.name, labels: { version: node.name } })}>
            Define subset {node.name} in DestinationRule {dr.name}
          </button>
        ) : null}
      </>
    );
  }
  const path = ['spec', 'subsets', index] as const;
  const rename = async (to: string | undefined) => {
    if (!to) return { ok: false as const, error: 'A subset needs a name.' };
    const outcome = await edit({ type: 'renameSubset', dr: dr.key, name: String(subset.name), to });
    if (outcome.ok && node.parent) useStore.getState().select({ kind: 'node', id: `${node.parent}#${to}` });
    return outcome;
  };
  return (
    <>
      <Note>In DestinationRule {dr.name} (host {String((dr.spec as Obj).host)}).</Note>
      <div className="insp-grid">
        <TextField label="Name" name="Subset name" value={subset.name} parse={text({ required: 'A subset needs a name.', pattern: [/^[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/, 'Letters, digits, "-", "_" and "."'] })} at={[dr.key, [...path, 'name']]} onCommit={rename} hint="Routes that name the subset follow" wide />
        <TextField label="Labels" name="Subset labels" value={subset.labels} format={formatLabels} parse={labels} placeholder="version=v1" at={[dr.key, [...path, 'labels']]} onCommit={(v) => edit({ type: 'setField', key: dr.key, path: [...path, 'labels'], value: v })} hint="key=value, comma-separated: the pods of the service this subset takes" wide />
      </div>
      <PolicyForm target={{ dr: dr.key, subset: { name: String(subset.name), index } }} policy={subset.trafficPolicy} inherited={(dr.spec as Obj).trafficPolicy} full={false} title="Subset traffic policy" />
    </>
  );
}
