/**
 * A DestinationRule traffic policy (the whole rule's or one subset's): TLS mode, load balancer, connection pool
 * and outlier detection. A service without a DestinationRule gets one on the first edit (`setServicePolicy`).
 */
import { useState } from 'react';
import type { PolicyField } from '../model/edit';
import type { ResourceKey } from '../model/resource';
import type { EditOutcome } from '../store/edit';
import { edit, Note, Section, SelectField, TextField, type At } from './fields';
import { CONNECTION_POOL, LB_LABELS, lbNeedsKey, OUTLIER_DETECTION, readLb, TLS_MODES, writeLb, type LbMode } from './policy';
import { getIn, isObj, setIn, type Obj } from './values';

export interface PolicyTarget {
  /** The DestinationRule holding the policy, if there is one. */
  dr?: ResourceKey;
  /** Index of the subset whose policy this is. */
  subset?: { name: string; index: number };
  /** The service whose DestinationRule is created on the first edit when there is none. */
  service?: ResourceKey;
}

/** `inherited`: the DestinationRule-wide policy a subset's policy falls back to (shown as the "not set" choice). */
export function PolicyForm({ target, policy, inherited, full = true, title = 'Traffic policy' }: { target: PolicyTarget; policy: unknown; inherited?: unknown; full?: boolean; title?: string }) {
  const p: Obj = isObj(policy) ? policy : {};
  const base = target.subset ? ['spec', 'subsets', target.subset.index, 'trafficPolicy'] : ['spec', 'trafficPolicy'];
  const at = (...path: string[]): At => (target.dr ? [target.dr, [...base, ...path]] : undefined);
  const set = (field: PolicyField, value: unknown) => {
    if (target.dr) return edit({ type: 'setPolicy', dr: target.dr, subset: target.subset?.name, field, value });
    if (target.service) return edit({ type: 'setServicePolicy', service: target.service, field, value });
    return { ok: false, error: 'There is no DestinationRule to hold this policy.' } as EditOutcome;
  };
  const setTls = (mode: string | undefined) => {
    if (target.dr) return edit({ type: 'setTlsMode', dr: target.dr, subset: target.subset?.name, mode: mode as (typeof TLS_MODES)[number] | undefined });
    return set('tls', mode ? { mode } : undefined);
  };
  const where = target.subset ? ` of subset ${target.subset.name}` : '';
  const inheritedTls = getIn(inherited, ['tls', 'mode']);
  const inheritedLb = readLb(getIn(inherited, ['loadBalancer'])).mode;
  const inherits = [
    ...(inheritedTls ? [`TLS mode ${String(inheritedTls)}`] : []),
    ...(inheritedLb ? [`load balancer ${LB_LABELS[inheritedLb].toLowerCase()}`] : []),
  ];
  return (
    <Section title={title} at={at()}>
      {inherits.length ? <Note>Where not set here: {inherits.join(' and ')} from the DestinationRule.</Note> : null}
      <div className="insp-grid">
        <SelectField label="TLS mode" name={`TLS mode${where}`} value={String(getIn(p, ['tls', 'mode']) ?? '')} options={[['', inherited ? '(inherit)' : '(not set)'], ...TLS_MODES.map((m) => [m, m] as const)]} at={at('tls', 'mode')} onCommit={setTls} />
        <LoadBalancer lb={p.loadBalancer} where={where} inherited={inherited ? inheritedLb : undefined} at={at('loadBalancer')} onCommit={(v) => set('loadBalancer', v)} />
      </div>
      {full ? (
        <>
          <h4 className="insp-subhead">Connection pool</h4>
          <div className="insp-grid">
            {CONNECTION_POOL.map((f) => (
              <TextField key={f.path.join('.')} label={f.label} name={`${f.label}${where}`} value={getIn(p.connectionPool, f.path)} parse={f.parse} placeholder={f.hint} at={at('connectionPool', ...f.path)} onCommit={(v) => set('connectionPool', setIn(p.connectionPool, f.path, v))} />
            ))}
          </div>
          <h4 className="insp-subhead">Outlier detection</h4>
          <div className="insp-grid">
            {OUTLIER_DETECTION.map((f) => (
              <TextField key={f.path.join('.')} label={f.label} name={`${f.label}${where}`} value={getIn(p.outlierDetection, f.path)} parse={f.parse} placeholder={f.hint} at={at('outlierDetection', ...f.path)} onCommit={(v) => set('outlierDetection', setIn(p.outlierDetection, f.path, v))} />
            ))}
          </div>
        </>
      ) : null}
    </Section>
  );
}

function LoadBalancer({ lb, where, inherited, at, onCommit }: { lb: unknown; where: string; inherited?: LbMode; at: At; onCommit(v: Obj | undefined): Promise<EditOutcome> | EditOutcome }) {
  const current = readLb(lb);
  /** A hash mode chosen before its key is given: nothing is written until the key is. */
  const [pending, setPending] = useState<LbMode>();
  const mode = pending ?? current.mode;
  const write = async (m: LbMode, key: string): Promise<EditOutcome> => {
    const v = writeLb(lb, { mode: m, key });
    if (!v.ok) return { ok: false, error: v.error };
    setPending(undefined);
    return onCommit(v.value);
  };
  return (
    <>
      <SelectField
        label="Load balancer"
        name={`Load balancer${where}`}
        value={mode}
        options={(Object.keys(LB_LABELS) as LbMode[]).map((m) => [m, m === '' && inherited !== undefined ? '(inherit)' : LB_LABELS[m]] as const)}
        at={at}
        onCommit={async (m) => {
          const next = (m ?? '') as LbMode;
          if (lbNeedsKey(next) && (next !== current.mode || !current.key)) {
            setPending(next);
            return;
          }
          setPending(undefined);
          if (next === current.mode) return;
          return write(next, current.key);
        }}
      />
      {lbNeedsKey(mode) ? (
        <TextField
          label={mode === 'HEADER' ? 'Hash on header' : mode === 'COOKIE' ? 'Hash on cookie' : 'Hash on query parameter'}
          name={`Load balancer hash key${where}`}
          value={pending ? '' : current.key}
          parse={(s) => (s.trim() ? { ok: true, value: s.trim() } : { ok: false, error: 'Enter a name to hash on.' })}
          placeholder={mode === 'HEADER' ? 'x-user' : mode === 'COOKIE' ? 'session' : 'user'}
          onCommit={(key) => write(mode, key ?? '')}
        />
      ) : null}
    </>
  );
}
