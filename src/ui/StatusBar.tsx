import { useStore } from '../store/store';
import { useDiagnostics } from './useDiagnostics';

/** Counts of problems, and why the canvas is out of date when it is. */
export function StatusBar() {
  const diagnostics = useDiagnostics();
  const stale = useStore((s) => s.stale);
  const problem = useStore((s) => s.problem);
  const resources = useStore((s) => s.resources.length);
  const toast = useStore((s) => s.toast);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const infos = diagnostics.filter((d) => d.severity === 'info').length;
  const openProblems = () => useStore.getState().setDrawer('problems');
  const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics.find((d) => d.severity === 'warning');
  return (
    <footer className="statusbar" role="status" aria-label="Design status">
      <button type="button" className="status-counts" onClick={openProblems} aria-label={`Problems: ${errors} errors, ${warnings} warnings, ${infos} infos`}>
        <span className={errors ? 'count-error' : 'count-ok'}>
          {errors} error{errors === 1 ? '' : 's'}
        </span>
        <span className={warnings ? 'count-warning' : 'count-ok'}>
          {warnings} warning{warnings === 1 ? '' : 's'}
        </span>
        <span className="count-info">{infos} info</span>
      </button>
      <span>{resources} resources</span>
      {first ? (
        <span className="first-problem" title={first.message}>
          Line {first.range.line}: {first.message}
        </span>
      ) : null}
      {toast ? (
        <span className={`toast toast-${toast.level}`} role={toast.level === 'error' ? 'alert' : 'status'} aria-label="Last edit">
          {toast.text}
        </span>
      ) : null}
      {stale ? <span className="stale-note">Canvas out of date — {problem ?? 'the YAML does not parse'}</span> : null}
    </footer>
  );
}
