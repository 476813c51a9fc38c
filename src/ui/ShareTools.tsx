/** Toolbar controls for teaching and sharing: examples, share link, open from URL. */
import { loadExample, openDialog } from '../store/shareUi';
import { Menu } from './Menu';
import './share.css';

export function ExampleMenu() {
  return (
    <Menu
      label="Example"
      ariaLabel="Example"
      items={[
        { label: 'Examples…', ariaLabel: 'Examples…', onSelect: () => openDialog('examples') },
        { label: 'The primer in one design', onSelect: () => loadExample('primer') },
      ]}
    />
  );
}

export function ShareTools() {
  return (
    <div className="toolbar-group">
      <button type="button" aria-label="Open from URL…" title="Open a raw YAML file from the web" onClick={() => openDialog('open-url')}>
        Open URL…
      </button>
      <button type="button" aria-label="Share" title="Copy a link that carries this design" onClick={() => openDialog('share')}>
        Share
      </button>
    </div>
  );
}
