import { useStore } from '../store/store';

/** Counts of problems, and why the canvas is out of date when it is. */
export function StatusBar() {
  const diagnostics = useStore((s) => s.diagnostics);
  const stale = useStore((s) => s.stale);
  const problem = useStore((s) => s.problem);
  const resources = useStore((s) => s.resources.length);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
  return (
    <footer className="statusbar" role="status" aria-label="Design status">
      <span className={errors ? 'count-error' : 'count-ok'}>
        {errors} error{errors === 1 ? '' : 's'}
      </span>
      <span className={warnings ? 'count-warning' : 'count-ok'}>
        {warnings} warning{warnings === 1 ? '' : 's'}
      </span>
      <span>{resources} resources</span>
      {first ? (
        <span className="first-problem" title={first.message}>
          Line {first.range.line}: {first.message}
        </span>
      ) : null}
      {stale ? <span className="stale-note">Canvas out of date — {problem ?? 'the YAML does not parse'}</span> : null}
    </footer>
  );
}
