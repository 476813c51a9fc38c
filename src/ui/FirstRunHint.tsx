/** A first-run hint: what the two halves of the screen are and where to start; dismissed once, remembered. */
import { useState } from 'react';
import { useDesigns } from '../store/autosave';
import { useLessons } from '../store/lessons';
import { useShareUi } from '../store/shareUi';
import { useStore } from '../store/store';
import './share.css';

const KEY = 'meshcraft:first-run-hint-dismissed';
const dismissedBefore = () => {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
};

export function FirstRunHint() {
  const firstRun = useDesigns((s) => s.firstRun);
  const [dismissed, setDismissed] = useState(dismissedBefore);
  // Out of the way while the panel under the canvas, an example's note or a lesson is open.
  const drawerOpen = useStore((s) => s.drawer !== null);
  const exampleShown = useShareUi((s) => !!s.exampleId);
  const inLesson = useLessons((s) => !!s.active);
  if (!firstRun || dismissed || drawerOpen || exampleShown || inLesson) return null;
  const dismiss = () => {
    setDismissed(true);
    try {
      localStorage.setItem(KEY, '1');
    } catch {
      /* not remembered: shown again next first run only */
    }
  };
  return (
    <aside className="first-run" aria-label="Welcome">
      <strong>Welcome to Meshcraft</strong>
      <ul>
        <li>The YAML on the right is the design; the canvas on the left draws it. Edit either.</li>
        <li>
          <b>Example ▾</b> opens a design per Istio concept; <b>▶ Simulate</b> sends a request through the mesh.
        </li>
        <li>Your work is saved in this browser as you type. <b>Share</b> copies a link that carries the design.</li>
      </ul>
      <button type="button" className="primary" onClick={dismiss}>
        Got it
      </button>
    </aside>
  );
}
