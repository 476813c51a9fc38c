/** The examples gallery: one card per concept of the Istio networking primer; choosing one loads it. */
import { EXAMPLES } from '../examples';
import { closeDialog, loadExample } from '../store/shareUi';
import { Modal } from './Modal';
import './share.css';

export function ExamplesDialog() {
  return (
    <Modal title="Examples" onClose={closeDialog} wide>
      <p className="modal-lead">Each example shows one idea of Istio networking. Opening one replaces the current design (Ctrl+Z takes it back).</p>
      <ul className="example-grid" aria-label="Examples">
        {EXAMPLES.map((e) => (
          <li key={e.id}>
            <button type="button" className="example-card" aria-label={`Open example: ${e.title}`} aria-describedby={`example-${e.id}`} onClick={() => loadExample(e.id)}>
              <span className="example-concept">{e.concept}</span>
              <span className="example-title">{e.title}</span>
              <span className="example-text" id={`example-${e.id}`}>
                {e.explanation[0]} {e.explanation[1]}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
