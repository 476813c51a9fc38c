/** Toolbar controls for teaching and sharing: examples, open from URL, export, share link. */
import { useDesigns } from '../store/autosave';
import { exportImage, exportYaml, exportZip } from '../store/exports';
import { startLesson, useLessons } from '../store/lessons';
import { loadExample, openDialog } from '../store/shareUi';
import { LESSONS } from '../lessons';
import { Menu } from './Menu';
import './share.css';

export function ExampleMenu() {
  const completed = useLessons((s) => s.completed);
  return (
    <Menu
      label="Example"
      ariaLabel="Example"
      items={[
        { label: 'Examples…', ariaLabel: 'Examples…', onSelect: () => openDialog('examples') },
        { label: 'The primer in one design', onSelect: () => loadExample('primer') },
        ...LESSONS.map((l) => ({ label: `Lesson: ${l.title}${completed.includes(l.id) ? ' ✓' : ''}`, ariaLabel: `Start the lesson ${l.title}`, onSelect: () => startLesson(l.id) })),
      ]}
    />
  );
}

export function ShareTools() {
  const design = useDesigns((s) => s.current);
  return (
    <div className="toolbar-group">
      <button type="button" className="design-button" aria-label={`Designs: ${design?.name ?? 'loading'}`} title="Switch, create, rename or delete designs" onClick={() => openDialog('designs')}>
        <span className="design-label">Design:</span>
        {design?.name ?? '…'} <span aria-hidden="true">▾</span>
      </button>
      <button type="button" aria-label="Open from URL…" title="Open a raw YAML file from the web" onClick={() => openDialog('open-url')}>
        Open URL…
      </button>
      <Menu
        label="Export"
        ariaLabel="Export"
        items={[
          { label: 'YAML file (.yaml)', ariaLabel: 'Export as one YAML file', onSelect: exportYaml },
          { label: 'One file per resource (.zip)', ariaLabel: 'Export as a zip with one file per resource', onSelect: exportZip },
          { label: 'Image of the canvas (.png)', ariaLabel: 'Export the canvas as a PNG image', onSelect: () => void exportImage('png') },
          { label: 'Image of the canvas (.svg)', ariaLabel: 'Export the canvas as an SVG image', onSelect: () => void exportImage('svg') },
        ]}
      />
      <button type="button" aria-label="Share" title="Copy a link that carries this design" onClick={() => openDialog('share')}>
        Share
      </button>
    </div>
  );
}
