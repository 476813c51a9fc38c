/** The dialogs and notices of teaching and sharing, rendered once at the top of the app. */
import { clearNotice, useShareUi } from '../store/shareUi';
import { DesignsDialog } from './DesignsDialog';
import { ExamplesDialog } from './ExamplesDialog';
import { OpenUrlDialog } from './OpenUrlDialog';
import { ShareDialog } from './ShareDialog';
import './share.css';

export function ShareLayer() {
  const dialog = useShareUi((s) => s.dialog);
  const notice = useShareUi((s) => s.notice);
  return (
    <>
      {dialog === 'examples' ? <ExamplesDialog /> : null}
      {dialog === 'share' ? <ShareDialog /> : null}
      {dialog === 'open-url' ? <OpenUrlDialog /> : null}
      {dialog === 'designs' ? <DesignsDialog /> : null}
      {notice ? (
        <div className={`notice notice-${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'} aria-label="Notice">
          <span>{notice.text}</span>
          <button type="button" className="modal-close" aria-label="Dismiss the notice" onClick={clearNotice}>
            ×
          </button>
        </div>
      ) : null}
    </>
  );
}
