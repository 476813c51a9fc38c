/** Share: the link that carries the design, copied on open, with a Copy button and what the link contains. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { LONG_LINK_CHARS } from '../share/codec';
import { shareLink } from '../store/shareLinks';
import { closeDialog } from '../store/shareUi';
import { useStore } from '../store/store';
import { Modal } from './Modal';

async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field?.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

const size = (n: number) => (n < 1024 ? `${n} characters` : `${(n / 1024).toFixed(1)} KB`);

export function ShareDialog() {
  const moved = useStore((s) => Object.keys(s.manual).length);
  const text = useStore((s) => s.text);
  const [withPositions, setWithPositions] = useState(true);
  const [copied, setCopied] = useState<'yes' | 'no' | undefined>();
  const field = useRef<HTMLInputElement>(null);
  // The link follows the design and the checkbox.
  const shared = useMemo(() => shareLink(withPositions && moved > 0), [text, withPositions, moved]);
  const link = 'link' in shared ? shared.link : '';
  const copy = () => {
    if (link) void copyText(link, field.current).then((ok) => setCopied(ok ? 'yes' : 'no'));
  };
  // Copied as soon as the dialog opens (and again if the design changes meanwhile).
  useEffect(copy, [link]);
  if ('problem' in shared)
    return (
      <Modal title="Share this design" onClose={closeDialog}>
        <p className="share-error" role="alert">
          {shared.problem}
        </p>
      </Modal>
    );
  return (
    <Modal title="Share this design" onClose={closeDialog}>
      <p className="modal-lead">The design travels inside the link itself: no server stores it. Anyone who opens the link sees this design as it is now.</p>
      <label>
        Link
        <input ref={field} type="text" readOnly value={link} aria-label="Share link" onFocus={(e) => e.target.select()} spellCheck={false} />
      </label>
      <div className="share-row">
        <button type="button" className="primary" onClick={copy} data-autofocus>
          Copy link
        </button>
        <span role="status" aria-label="Copy status" className={copied === 'no' ? 'share-error' : 'share-ok'}>
          {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'no' ? 'Could not copy: select the link and press Ctrl+C.' : ''}
        </span>
      </div>
      {moved > 0 ? (
        <label className="check">
          <input type="checkbox" checked={withPositions} onChange={(e) => setWithPositions(e.target.checked)} /> Include where I placed nodes ({moved} moved)
        </label>
      ) : null}
      <p className="share-meta">
        Link length: {size(link.length)}.{link.length > LONG_LINK_CHARS ? ' Some chat and mail apps cut links this long: export the YAML file instead if it arrives broken.' : ''}
      </p>
    </Modal>
  );
}
