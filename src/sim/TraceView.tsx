import type { ExplanationStep, Trace } from '../engine/types';
import { useStore } from '../store/store';
import { revealField } from '../store/reveal';

const NOT_MATCHED = /does not match|not matched|skipped/i;

function Summary({ trace }: { trace: Trace }) {
  const ok = trace.status !== null && trace.status < 400;
  return (
    <div className={`trace-summary ${ok ? 'is-ok' : 'is-error'}`} role="status" aria-label="Trace result">
      <span className="trace-status">{trace.status ?? trace.outcome.replace(/_/g, ' ')}</span>
      {trace.flags.map((f) => (
        <span key={f} className="flag" title="Envoy response flag">
          {f}
        </span>
      ))}
      <span className="trace-from">
        {trace.responseFrom}
        {trace.durationMs ? ` · ${trace.durationMs} ms` : ''}
        {trace.delayMs ? ` (${trace.delayMs} ms injected delay)` : ''}
      </span>
      {trace.destination ? <code className="trace-cluster">{trace.destination.cluster}</code> : trace.cluster ? <code className="trace-cluster">{trace.cluster}</code> : null}
      {trace.location ? <span>→ {trace.location}</span> : null}
    </div>
  );
}

function Step({ step }: { step: ExplanationStep }) {
  const linked = !!step.resource && !!step.path;
  const cls = `step step-${step.kind} ${step.kind === 'rule' && NOT_MATCHED.test(step.message) ? 'is-miss' : ''}`;
  return (
    <li className={cls}>
      {linked ? (
        <button type="button" className="step-link" onClick={() => revealField(step.resource, step.path)} title={`Show ${step.resource} ${step.path!.join('.')} in the YAML`}>
          {step.message}
        </button>
      ) : (
        <span>{step.message}</span>
      )}
    </li>
  );
}

export function TraceView() {
  const traced = useStore((s) => s.traced);
  const error = useStore((s) => s.traceError);
  const resources = useStore((s) => s.resources);
  if (error) {
    return (
      <div className="trace-view" role="alert">
        {error}
      </div>
    );
  }
  if (!traced) return <div className="trace-view trace-empty">Send a request to see where it goes and why.</div>;
  const { trace } = traced;
  const hops = [-1, ...trace.hops.map((_, i) => i)];
  return (
    <div className="trace-view">
      <Summary trace={trace} />
      {traced.resources !== resources ? <div className="trace-stale">The design changed since this request was sent: send it again to update.</div> : null}
      <div className="trace-steps" aria-label="Explanation">
        {hops.map((h) => {
          const steps = trace.explanation.filter((s) => s.hop === h);
          if (!steps.length) return null;
          const hop = trace.hops[h];
          return (
            <section key={h} className="hop">
              <h3>{h < 0 ? 'Setup' : `Hop ${h + 1}: ${hop.proxy}`}</h3>
              <ol>
                {steps.map((s, i) => (
                  <Step key={i} step={s} />
                ))}
              </ol>
            </section>
          );
        })}
      </div>
    </div>
  );
}
