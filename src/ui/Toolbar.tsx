import { useRef } from 'react';
import { redo, undo } from '../store/history';
import { downloadDesign } from '../store/importDesign';
import { autoLayout } from '../store/pipeline';
import { useStore } from '../store/store';
import { ExampleMenu, ShareTools } from './ShareTools';

export function Toolbar({ onOpenFiles }: { onOpenFiles(files: FileList): void }) {
  const theme = useStore((s) => s.theme);
  const layoutBusy = useStore((s) => s.layoutBusy);
  const drawer = useStore((s) => s.drawer);
  const fileInput = useRef<HTMLInputElement>(null);
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
        <button type="button" aria-label="Open YAML files" onClick={() => fileInput.current?.click()}>
          Open…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".yaml,.yml,.json"
          multiple
          hidden
          aria-label="YAML files to open"
          onChange={(e) => {
            if (e.target.files?.length) onOpenFiles(e.target.files);
            e.target.value = '';
          }}
        />
        <button type="button" aria-label="Save design as YAML" onClick={() => downloadDesign(useStore.getState().text)}>
          Save
        </button>
        <ExampleMenu />
      </div>
      <ShareTools />
      <div className="toolbar-group">
        <button type="button" aria-label="Undo" title="Undo (Ctrl+Z)" onClick={undo}>
          ↶
        </button>
        <button type="button" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" onClick={redo}>
          ↷
        </button>
      </div>
      <div className="toolbar-group">
        <button type="button" aria-label="Simulate a request" aria-pressed={drawer === 'request'} onClick={() => useStore.getState().setDrawer(drawer === 'request' ? null : 'request')}>
          ▶ Simulate
        </button>
        <button type="button" aria-label="Simulate load" aria-pressed={drawer === 'load'} onClick={() => useStore.getState().setDrawer(drawer === 'load' ? null : 'load')}>
          ≋ Load
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
