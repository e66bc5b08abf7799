/** The Share dialog (`ShareButton.tsx` opens it): makes the link of the open plan, copies it, says how long it is. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { SHARE_LIMITS } from '../../workers/lang/index.ts';
import { useModalDialog } from '../shell/useModalDialog.ts';
import { inputFit, type MadeLink, makeShareLink } from './make-link.ts';

const KB = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KB`;
const n = (x: number) => x.toLocaleString('en');

type Copy = 'copying' | 'copied' | 'failed';

export default function ShareDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [includeInput, setIncludeInput] = useState(false);
  const [link, setLink] = useState<MadeLink | null>(null);
  const [copy, setCopy] = useState<Copy>('copying');
  const fit = inputFit();

  useModalDialog(ref);

  const copyLink = useCallback(async (url: string) => {
    setCopy('copying');
    try {
      await navigator.clipboard.writeText(url);
      setCopy('copied');
    } catch {
      // No clipboard permission (or not a secure context): leave the link selected for Ctrl+C.
      setCopy('failed');
      field.current?.select();
    }
  }, []);

  useEffect(() => {
    let current = true;
    setLink(null);
    void makeShareLink(includeInput).then((made) => {
      if (!current) return;
      setLink(made);
      if (made.ok) void copyLink(made.url);
    });
    return () => {
      current = false;
    };
  }, [includeInput, copyLink]);

  const length = link?.ok ? link.url.length : 0;
  return (
    <dialog ref={ref} className="dialog share-dialog" aria-labelledby="share-title" onClose={onClose}>
      <div className="dialog-head">
        <h2 id="share-title">Share this plan</h2>
        <button type="button" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      <p className="muted">
        Anyone who opens the link gets a copy of the pipeline in their browser. The link holds the plan only:
        never your API key, model settings or provider address.
      </p>

      <label className="share-input-option">
        <input
          type="checkbox"
          checked={includeInput}
          disabled={fit.kind !== 'fits'}
          onChange={(e) => setIncludeInput(e.target.checked)}
        />
        <span>
          Include the input document (up to {KB(SHARE_LIMITS.maxInputBytes)})
          <span className="muted share-input-note" data-testid="share-input-note">
            {fit.kind === 'none' && ' — there is no input to include.'}
            {fit.kind === 'fits' && ` — the input is ${KB(fit.bytes)}.`}
            {fit.kind === 'too-large' &&
              ` — the input is ${KB(fit.bytes)}, too large for a link. Export the plan as a file to send it whole.`}
          </span>
        </span>
      </label>

      {link && !link.ok && (
        <p role="alert" className="error-text" data-testid="share-error">
          {link.error}
        </p>
      )}
      {link?.ok && (
        <>
          <input
            ref={field}
            className="share-link"
            readOnly
            value={link.url}
            aria-label="Share link"
            data-testid="share-link"
            onFocus={(e) => e.target.select()}
          />
          <p className="share-status" data-testid="share-length" aria-live="polite">
            {n(length)} characters
            {copy === 'copied' && ' · copied to the clipboard'}
            {copy === 'failed' && ' · could not copy automatically: the link is selected, press Ctrl+C (⌘C)'}
          </p>
          {length > SHARE_LIMITS.warnChars && (
            <p className="share-warning" role="note" data-testid="share-warning">
              This link is longer than {n(SHARE_LIMITS.warnChars)} characters: some chat apps, mail programs
              and QR codes cut long links. If it arrives broken, export the plan as a file instead.
            </p>
          )}
        </>
      )}
      {!link && <p className="muted">Making the link…</p>}

      <div className="dialog-actions">
        <button type="button" disabled={!link?.ok} onClick={() => link?.ok && void copyLink(link.url)}>
          Copy link
        </button>
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </dialog>
  );
}
