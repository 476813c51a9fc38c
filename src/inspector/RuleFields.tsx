/**
 * An http rule's behaviour beyond routing: fault injection, retries, timeout, mirroring, redirect and rewrite.
 * Each field writes its whole rule field through `setRuleField`; the edit engine turns that into the one changed
 * scalar.
 */
import type { RuleField, RuleRef } from '../model/edit';
import { edit, Note, Section, TextField } from './fields';
import { duration, getIn, HOST, integer, isObj, parseRetryOn, percent, readPercentage, setIn, text, withPercentage, type Obj } from './values';

export function RuleFields({ rule, obj }: { rule: RuleRef; obj: Obj }) {
  const base = ['spec', rule.protocol, rule.index] as const;
  const at = (...p: string[]) => [rule.vs, [...base, ...p]] as const;
  const set = (field: RuleField, value: unknown) => edit({ type: 'setRuleField', rule, field, value: value === undefined || (isObj(value) && !Object.keys(value).length) ? undefined : value });
  /** Commit for one place inside a rule field. */
  const put = (field: RuleField, path: string[]) => (v: unknown) => set(field, setIn(obj[field], path, v));
  const fault = obj.fault;
  const delay = getIn(fault, ['delay']);
  const abort = getIn(fault, ['abort']);
  return (
    <>
      <Section title="Fault injection" at={fault ? at('fault') : undefined} fold={{ open: !!fault }}>
        <div className="insp-grid">
          <TextField label="Delay" name="Fault delay" value={getIn(delay, ['fixedDelay'])} parse={duration} placeholder="5s" at={at('fault', 'delay', 'fixedDelay')} onCommit={put('fault', ['delay', 'fixedDelay'])} />
          <TextField label="Delayed %" name="Fault delay percentage" value={readPercentage(delay)} parse={percent} placeholder="100" at={at('fault', 'delay', 'percentage')} onCommit={(v) => set('fault', setIn(fault, ['delay'], withPercentage(delay, v)))} />
          <TextField label="Abort status" name="Fault abort HTTP status" value={getIn(abort, ['httpStatus'])} parse={integer(200, 599, 'an HTTP status')} placeholder="503" at={at('fault', 'abort', 'httpStatus')} onCommit={put('fault', ['abort', 'httpStatus'])} />
          <TextField label="Aborted %" name="Fault abort percentage" value={readPercentage(abort)} parse={percent} placeholder="100" at={at('fault', 'abort', 'percentage')} onCommit={(v) => set('fault', setIn(fault, ['abort'], withPercentage(abort, v)))} />
        </div>
      </Section>
      <Section title="Retries and timeout" at={obj.retries ? at('retries') : obj.timeout ? at('timeout') : undefined} fold={{ open: !!(obj.retries || obj.timeout) }}>
        <div className="insp-grid">
          <TextField label="Attempts" name="Retry attempts" value={getIn(obj.retries, ['attempts'])} parse={integer(0, 100)} placeholder="2" at={at('retries', 'attempts')} onCommit={put('retries', ['attempts'])} />
          <TextField label="Per-try timeout" name="Retry per-try timeout" value={getIn(obj.retries, ['perTryTimeout'])} parse={duration} placeholder="1s" at={at('retries', 'perTryTimeout')} onCommit={put('retries', ['perTryTimeout'])} />
          <TextField label="Retry on" name="Retry on" value={getIn(obj.retries, ['retryOn'])} parse={parseRetryOn} placeholder="5xx,connect-failure" at={at('retries', 'retryOn')} onCommit={put('retries', ['retryOn'])} wide />
          <TextField label="Timeout" name="Request timeout" value={obj.timeout} parse={duration} placeholder="10s" at={at('timeout')} onCommit={(v) => set('timeout', v)} />
        </div>
      </Section>
      <Section title="Mirror" at={obj.mirror ? at('mirror') : undefined} fold={{ open: !!obj.mirror }}>
        <div className="insp-grid">
          <TextField label="Host" name="Mirror host" value={getIn(obj.mirror, ['host'])} parse={text({ pattern: HOST })} placeholder="my-service" at={at('mirror', 'host')} onCommit={(v) => set('mirror', v === undefined ? undefined : setIn(obj.mirror, ['host'], v))} />
          <TextField label="Subset" name="Mirror subset" value={getIn(obj.mirror, ['subset'])} parse={text()} placeholder="v2" at={at('mirror', 'subset')} onCommit={(v) => (obj.mirror ? put('mirror', ['subset'])(v) : { ok: false as const, error: 'Set the mirror host first.' })} />
          <TextField label="Mirrored %" name="Mirror percentage" value={getIn(obj.mirrorPercentage, ['value'])} parse={percent} placeholder="100" at={at('mirrorPercentage')} onCommit={(v) => set('mirrorPercentage', v === undefined ? undefined : setIn(obj.mirrorPercentage, ['value'], v))} />
        </div>
      </Section>
      <Section title="Redirect" at={obj.redirect ? at('redirect') : undefined} fold={{ open: !!obj.redirect }}>
        {obj.redirect ? null : <Note>A redirect answers the request itself: setting one replaces this rule's destinations.</Note>}
        <div className="insp-grid">
          <TextField label="URI" name="Redirect URI" value={getIn(obj.redirect, ['uri'])} parse={text({ pattern: [/^\//, 'A URI starts with "/".'] })} placeholder="/new-path" at={at('redirect', 'uri')} onCommit={put('redirect', ['uri'])} />
          <TextField label="Authority" name="Redirect authority" value={getIn(obj.redirect, ['authority'])} parse={text({ pattern: HOST })} placeholder="new.example.com" at={at('redirect', 'authority')} onCommit={put('redirect', ['authority'])} />
          <TextField label="Status" name="Redirect status code" value={getIn(obj.redirect, ['redirectCode'])} parse={integer(300, 399, 'a 3xx status')} placeholder="301" at={at('redirect', 'redirectCode')} onCommit={put('redirect', ['redirectCode'])} />
        </div>
      </Section>
      <Section title="Rewrite" at={obj.rewrite ? at('rewrite') : undefined} fold={{ open: !!obj.rewrite }}>
        <div className="insp-grid">
          <TextField label="URI" name="Rewrite URI" value={getIn(obj.rewrite, ['uri'])} parse={text({ pattern: [/^\//, 'A URI starts with "/".'] })} placeholder="/" at={at('rewrite', 'uri')} onCommit={put('rewrite', ['uri'])} />
          <TextField label="Authority" name="Rewrite authority" value={getIn(obj.rewrite, ['authority'])} parse={text({ pattern: HOST })} placeholder="backend.internal" at={at('rewrite', 'authority')} onCommit={put('rewrite', ['authority'])} />
        </div>
      </Section>
    </>
  );
}
