import primer from '../examples/primer.yaml?raw';
import { autoLayout } from '../store/pipeline';
import { useStore } from '../store/store';

export function Toolbar() {
  const theme = useStore((s) => s.theme);
  const layoutBusy = useStore((s) => s.layoutBusy);
  return (
    <header className="toolbar" role="toolbar" aria-label="Main toolbar">
      <div className="brand" aria-label="Meshcraft">
        <svg width="22" height="22" viewBox="0 0 28 28" aria-hidden="true">
          <circle cx="6" cy="14" r="4" />
          <circle cx="22" cy="6" r="4" />
          <circle cx="22" cy="22" r="4" />
          <path d="M6 14 L22 6 M6 14 L22 22 M22 6 L22 22" />
        </svg>
        <span>Meshcraft</span>
      </div>
      <div className="toolbar-group">
        <button type="button" aria-label="Load example mesh" onClick={() => useStore.getState().setText(primer, 'load')}>
          Example
        </button>
        <button type="button" aria-label="Auto-layout" onClick={autoLayout} disabled={layoutBusy}>
          {layoutBusy ? 'Laying out…' : 'Auto-layout'}
        </button>
        <button type="button" aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`} onClick={() => useStore.getState().toggleTheme()}>
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
      </div>
    </header>
  );
}
