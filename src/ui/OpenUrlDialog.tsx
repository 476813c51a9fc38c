/** Open from URL: a raw YAML file on the web becomes the design. */
import { useState, type FormEvent } from 'react';
import { openFromUrl } from '../store/shareLinks';
import { closeDialog } from '../store/shareUi';
import { Modal } from './Modal';

export function OpenUrlDialog() {
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const problem = await openFromUrl(url);
    setBusy(false);
    if (problem) setError(problem);
    else closeDialog();
  };
  return (
    <Modal title="Open from URL" onClose={closeDialog}>
      <form onSubmit={submit} className="share-modal" aria-label="Open from URL">
        <p className="modal-lead">The address of a raw YAML file, for example a file on GitHub opened with its “Raw” button. The server must allow other sites to read it.</p>
        <label>
          Address
          <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://raw.githubusercontent.com/…/design.yaml" aria-label="Address of a YAML file" spellCheck={false} />
        </label>
        {error ? (
          <p className="share-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="share-row">
          <button type="submit" className="primary" disabled={busy || !url.trim()}>
            {busy ? 'Opening…' : 'Open'}
          </button>
          <button type="button" onClick={closeDialog}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
