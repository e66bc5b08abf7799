import { useEffect, useState } from 'react';
import { KEPT_INPUT_NOTE, preparePlanInput } from '../documents/plan-input.ts';
import { useAutosave } from '../store/autosave.ts';
import { useDocument } from '../store/document.ts';
import { setInputText } from '../store/input.ts';
import { type OpenedLink, openSharedLink } from './open-link.ts';

/** Longest wait for the autosave to restore the last document before a link is opened anyway. */
const RESTORE_WAIT_MS = 5000;

/**
 * Resolves once the autosave has restored the last document (its first save has begun), so the link's
 * plan is opened after it and the restore cannot replace it.
 */
function restored(): Promise<void> {
  if (useAutosave.getState().state !== 'idle') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, RESTORE_WAIT_MS);
    const unsubscribe = useAutosave.subscribe((s) => {
      if (s.state !== 'idle') done();
    });
    function done() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

// One queue for the page: a link pasted while another is opening waits its turn (StrictMode mounts twice).
let queue: Promise<void> = Promise.resolve();

/** Opens share links found in the address on load and on every `hashchange`, and says what happened. */
export function SharedLinkOpener() {
  const [shown, setShown] = useState<OpenedLink | null>(null);

  useEffect(() => {
    const handle = () => {
      queue = queue.then(async () => {
        if (!location.hash) return;
        await restored();
        const r = await openSharedLink(location.hash, {
          current: () => {
            const { plan } = useDocument.getState();
            return { name: plan.name, empty: plan.nodes.length === 0 };
          },
          openDocument: (plan) => void useDocument.getState().openDocument(plan),
          setInput: (text) => setInputText(text, 'file', 'from the shared link'),
          prepareInput: preparePlanInput,
          clearHash: () => history.replaceState(history.state, '', `${location.pathname}${location.search}`),
        });
        if (r) setShown(r);
      });
    };
    handle();
    window.addEventListener('hashchange', handle);
    return () => window.removeEventListener('hashchange', handle);
  }, []);

  if (!shown) return null;
  const dismiss = () => setShown(null);
  if (shown.kind === 'error') {
    return (
      <section className="shared-notice shared-error" role="alert" aria-label="Share link problem">
        <p>
          <strong>This share link could not be opened.</strong> {shown.error} Your document was not changed.
        </p>
        <button type="button" onClick={dismiss}>
          Dismiss
        </button>
      </section>
    );
  }
  return (
    <section className="shared-notice" role="status" aria-label="Shared plan opened">
      <p className="shared-title">
        Opened the shared plan <strong data-testid="shared-name">{shown.name}</strong>
        {shown.input === 'link' && ' with its input document'}
        {shown.input === 'sample' && ' with its sample document'}
        {shown.migratedFrom !== undefined && ` (updated from plan format ${shown.migratedFrom})`}.
      </p>
      {shown.description && (
        <p className="shared-description" data-testid="shared-description">
          {shown.description}
        </p>
      )}
      {shown.input === 'kept' && (
        <p className="muted" data-testid="shared-kept-input">
          {KEPT_INPUT_NOTE}
        </p>
      )}
      {shown.previous !== null && (
        <p className="muted" data-testid="shared-previous">
          Your previous document “{shown.previous}” is kept: find it under Open… → Recent documents.
        </p>
      )}
      <button type="button" onClick={dismiss}>
        OK
      </button>
    </section>
  );
}
