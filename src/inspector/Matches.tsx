/**
 * A rule's match conditions (OR'ed): per match the URI, method, authority, headers and query parameters; add and
 * remove matches. TCP/TLS rules: port and SNI hosts. Every change writes the rule's match list (one undo step).
 */
import { useState } from 'react';
import type { RuleRef } from '../model/edit';
import type { FieldPath } from '../model/resource';
import type { EditOutcome } from '../store/edit';
import { edit, IconButton, Note, Section, SelectField, TextField } from './fields';
import { newUriMatch, otherConditions, parseStringMatch, readRows, readStringMatch, replaceAt, rowsToMap, STRING_MATCH_KINDS, withKey, type Row, type RowField, type RowKind, type StringField, type StringMatchKind } from './matches';
import { HOST, integer, list, formatList, type Obj } from './values';

type Put = (m: Obj) => Promise<EditOutcome>;

const KIND_OPTIONS = [['', '(any)'], ...STRING_MATCH_KINDS.map((k) => [k, k] as const)] as const;

export function Matches({ rule, matches }: { rule: RuleRef; matches: Obj[] }) {
  const set = (next: Obj[]) => edit({ type: 'setMatches', rule, match: next.length ? next : undefined });
  const at = [rule.vs, ['spec', rule.protocol, rule.index, 'match']] as const;
  return (
    <Section title={`Matches (${matches.length || 'any request'})`} at={matches.length ? at : undefined}>
      {matches.length === 0 ? <Note>No conditions: this rule takes every request that reaches it.</Note> : null}
      {matches.length > 1 ? <Note>A request matches if any one of these matches.</Note> : null}
      {matches.map((m, i) => {
        const put = (next: Obj) => set(replaceAt(matches, i, next));
        const where = [rule.vs, ['spec', rule.protocol, rule.index, 'match', i]] as const;
        const n = matches.length > 1 ? ` ${i + 1}` : '';
        return (
          <fieldset key={i} className="insp-match">
            <legend>
              Match{n}
              <IconButton label={`Remove match${n || ' 1'}`} onClick={() => void set(matches.filter((_, j) => j !== i))}>
                ×
              </IconButton>
            </legend>
            {rule.protocol === 'http' ? (
              <>
                {(['uri', 'method', 'authority'] as StringField[]).map((f) => (
                  <StringMatchRow key={f} field={f} match={m} n={n} put={put} at={where} />
                ))}
                {(['headers', 'queryParams'] as RowField[]).map((f) => (
                  <Rows key={f} field={f} match={m} n={n} put={put} />
                ))}
              </>
            ) : (
              <div className="insp-grid">
                <TextField label="Port" name={`Port of match${n || ' 1'}`} value={m.port} parse={integer(1, 65535, 'a port')} onCommit={(v) => put(withKey(m, 'port', v))} />
                {rule.protocol === 'tls' ? (
                  <TextField label="SNI hosts" name={`SNI hosts of match${n || ' 1'}`} value={m.sniHosts} format={formatList} parse={list(HOST)} onCommit={(v) => put(withKey(m, 'sniHosts', v))} wide />
                ) : null}
              </div>
            )}
            <Other match={rule.protocol === 'http' ? m : withKey(withKey(m, 'port', undefined), 'sniHosts', undefined)} />
          </fieldset>
        );
      })}
      {rule.protocol === 'http' ? <AddUriMatch onAdd={(m) => set([...matches, m])} /> : (
        <button type="button" onClick={() => void set([...matches, rule.protocol === 'tls' ? { port: 443, sniHosts: ['*'] } : { port: 80 }])}>
          Add match
        </button>
      )}
    </Section>
  );
}

/** Conditions the form does not edit (ports, gateways, source labels…): shown so that nothing is hidden. */
function Other({ match }: { match: Obj }) {
  const other = otherConditions(match);
  return other ? <p className="insp-note">Also: {other}</p> : null;
}

function StringMatchRow({ field, match, n, put, at }: { field: StringField; match: Obj; n: string; put: Put; at: readonly [RuleRef['vs'], FieldPath] }) {
  const cur = readStringMatch(match[field]);
  const [kind, setKind] = useState<StringMatchKind>(cur?.kind ?? (field === 'uri' ? 'prefix' : 'exact'));
  const shownKind = cur?.kind ?? kind;
  const title = field === 'uri' ? 'URI' : field === 'method' ? 'Method' : 'Authority';
  const name = `${title}${n ? ` of match${n}` : ''}`;
  return (
    <div className="insp-row">
      <SelectField
        label={title}
        name={`${name}: how to compare`}
        value={cur ? cur.kind : ''}
        options={KIND_OPTIONS}
        at={[at[0], [...at[1], field]]}
        onCommit={(k) => {
          if (!k) return cur ? put(withKey(match, field, undefined)) : undefined;
          setKind(k as StringMatchKind);
          if (cur) return put(withKey(match, field, { [k]: cur.value }));
          return undefined;
        }}
      />
      <TextField
        label="Value"
        name={name}
        value={cur?.value}
        placeholder={field === 'uri' ? '/path' : field === 'method' ? 'GET' : 'host'}
        parse={(s) => parseStringMatch(field, shownKind, s)}
        at={[at[0], [...at[1], field]]}
        onCommit={(v) => put(withKey(match, field, v))}
      />
    </div>
  );
}

const ROW_KINDS: readonly (readonly [RowKind, string])[] = [['exact', 'exact'], ['prefix', 'prefix'], ['regex', 'regex'], ['present', 'present']];

function Rows({ field, match, n, put }: { field: RowField; match: Obj; n: string; put: Put }) {
  const rows = readRows(match, field);
  const what = field === 'headers' ? 'Header' : 'Query parameter';
  const [error, setError] = useState<string>();
  const write = (next: Row[]) => {
    const map = rowsToMap(field, next);
    if (!map.ok) {
      setError(map.error);
      return undefined;
    }
    setError(undefined);
    return put(withKey(match, field, map.value));
  };
  const suffix = n ? ` of match${n}` : '';
  return (
    <div className="insp-rows">
      <div className="insp-rows-head">
        <span>{field === 'headers' ? 'Headers' : 'Query parameters'}</span>
        <button type="button" className="insp-link" onClick={() => void write([...rows, { name: field === 'headers' ? 'x-user' : 'param', kind: 'exact', value: 'value' }])}>
          + {what.toLowerCase()}
        </button>
      </div>
      {rows.map((r, i) => (
        <div key={i} className="insp-kv">
          <TextField label="Name" name={`${what} ${i + 1} name${suffix}`} value={r.name} parse={(s) => ({ ok: true, value: s })} onCommit={(v) => write(replaceAt(rows, i, { ...r, name: v ?? '' }))} />
          <SelectField label="Compare" name={`${what} ${r.name}${suffix}: how to compare`} value={r.kind} options={ROW_KINDS} onCommit={(k) => write(replaceAt(rows, i, { ...r, kind: (k ?? 'present') as RowKind }))} />
          <TextField label="Value" name={`${what} ${r.name} value${suffix}`} value={r.kind === 'present' ? undefined : r.value} parse={(s) => ({ ok: true, value: s })} onCommit={(v) => write(replaceAt(rows, i, { ...r, kind: r.kind === 'present' ? 'exact' : r.kind, value: v ?? '' }))} />
          <IconButton label={`Remove ${what.toLowerCase()} ${r.name}${suffix}`} onClick={() => void write(rows.filter((_, j) => j !== i))}>
            ×
          </IconButton>
        </div>
      ))}
      {error ? <p className="insp-error" role="alert">{error}</p> : null}
    </div>
  );
}

function AddUriMatch({ onAdd }: { onAdd(m: Obj): Promise<{ ok: boolean }> }) {
  const [kind, setKind] = useState<StringMatchKind>('prefix');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const add = async () => {
    const m = newUriMatch(kind, value);
    if (!m.ok) return setError(m.error);
    setError(undefined);
    if ((await onAdd(m.value!)).ok) setValue('');
  };
  return (
    <div className="insp-add">
      <div className="insp-field">
        <label htmlFor="insp-new-match-kind">New match: URI</label>
        <select id="insp-new-match-kind" aria-label="New match: how to compare the URI" value={kind} onChange={(e) => setKind(e.target.value as StringMatchKind)}>
          {STRING_MATCH_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </div>
      <div className={`insp-field${error ? ' has-error' : ''}`}>
        <label htmlFor="insp-new-match-uri">Path</label>
        <input id="insp-new-match-uri" aria-label="New match URI" placeholder="/api" value={value} aria-invalid={error ? true : undefined} onChange={(e) => setValue(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void add()} />
      </div>
      <button type="button" onClick={() => void add()}>
        Add match
      </button>
      {error ? <p className="insp-error" role="alert">{error}</p> : null}
    </div>
  );
}
