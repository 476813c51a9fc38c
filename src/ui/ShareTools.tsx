/** Toolbar controls for teaching and sharing: the examples menu (more join it in later steps). */
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
