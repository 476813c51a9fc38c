/** What the example on the canvas shows, in two lines, and the request it suggests sending. */
import { describeRequest, exampleById, requestInput } from '../examples';
import { fillAndSend } from '../store/simulation';
import { dismissExample, useShareUi } from '../store/shareUi';
import { useStore } from '../store/store';
import './share.css';

export function ExampleNote() {
  const example = useShareUi((s) => (s.exampleId ? exampleById(s.exampleId) : undefined));
  // Another design loaded over the example (a file, a link): the note no longer applies.
  const replaced = useStore((s) => (s.origin === 'load' || s.origin === 'remote') && s.text !== example?.text);
  if (!example || replaced) return null;
  return (
    <aside className="example-note" aria-label="About this example">
      <button type="button" className="modal-close example-note-close" aria-label="Dismiss the example note" onClick={dismissExample}>
        ×
      </button>
      <strong>{example.title}</strong>
      <p>{example.explanation[0]}</p>
      <p>{example.explanation[1]}</p>
      <div className="example-note-request">
        <code>{describeRequest(example.request)}</code>
        <button type="button" className="primary" onClick={() => void fillAndSend(requestInput(example.request))}>
          Send this request
        </button>
      </div>
    </aside>
  );
}
