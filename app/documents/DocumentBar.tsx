import { useEffect, useRef, useState } from 'react';
import { useModalDialog } from '../shell/useModalDialog.ts';
import { listRecent, openRecent, type RecentEntry, useAutosave } from '../store/autosave.ts';
import { breakMerge, redo, undo, useDocument, useHistoryState } from '../store/document.ts';
import { browserStorage } from '../store/persistence.ts';
import { ExampleGallery } from './ExampleGallery.tsx';
import { useNotices } from './notices.ts';
import { exportCurrentPlan, importPlanFile } from './plan-files.ts';

/** Document controls in the header: name, new/open/import/export, undo/redo, save state. */
export function DocumentBar({ onAutoLayout }: { onAutoLayout: () => void }) {
  const name = useDocument((s) => s.plan.name);
  const { canUndo, canRedo } = useHistoryState();
  const [draft, setDraft] = useState(name);
  const [open, setOpen] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const push = useNotices((s) => s.push);
  useEffect(() => setDraft(name), [name]);

  const commitName = () => {
    breakMerge();
    if (draft.trim() === '') setDraft(name);
    else useDocument.getState().rename(draft.trim());
  };

  return (
    <div className="docbar">
      <input
        className="doc-name"
        aria-label="Document name"
        value={draft}
        maxLength={200}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commitName}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          if (e.key === 'Escape') {
            setDraft(name);
            (e.target as HTMLInputElement).blur();
          }
        }}
      />
      <SaveState />
      <fieldset className="docbar-buttons" aria-label="Document">
        <button type="button" onClick={() => useDocument.getState().newDocument()}>
          New
        </button>
        <button type="button" onClick={() => setOpen(true)} aria-haspopup="dialog">
          Open…
        </button>
        <button type="button" onClick={() => fileRef.current?.click()}>
          Import
        </button>
        <button
          type="button"
          onClick={() => {
            const r = exportCurrentPlan();
            push({ kind: r.ok ? 'info' : 'error', text: r.message });
          }}
        >
          Export
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          aria-label="Import a plan file"
          tabIndex={-1}
          data-testid="import-file"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            const r = await importPlanFile(file);
            push({ kind: r.ok ? 'info' : 'error', text: r.message });
          }}
        />
      </fieldset>
      <fieldset className="docbar-buttons" aria-label="Edit">
        <button type="button" onClick={undo} disabled={!canUndo} aria-label="Undo" title="Undo (Ctrl/Cmd-Z)">
          ↶
        </button>
        <button
          type="button"
          onClick={redo}
          disabled={!canRedo}
          aria-label="Redo"
          title="Redo (Shift-Ctrl/Cmd-Z, Ctrl-Y)"
        >
          ↷
        </button>
        <button type="button" onClick={onAutoLayout} title="Auto-layout (Shift-L)">
          Tidy
        </button>
      </fieldset>
      {open && <OpenDialog onClose={() => setOpen(false)} />}
    </div>
  );
}

function SaveState() {
  const state = useAutosave((s) => s.state);
  const error = useAutosave((s) => s.error);
  const text =
    state === 'error'
      ? `Not saved: ${error ?? 'storage failed'}`
      : state === 'saved'
        ? 'Saved'
        : state === 'idle'
          ? ''
          : 'Saving…';
  return (
    <output
      className={`save-state save-${state}`}
      data-testid="save-state"
      data-state={state}
      aria-live="polite"
      title={state === 'saved' ? 'Saved in this browser' : undefined}
    >
      {text}
    </output>
  );
}

/** The example gallery and the recent documents, in a modal dialog. */
function OpenDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [recent, setRecent] = useState<RecentEntry[] | null>(null);
  const docId = useDocument((s) => s.docId);
  const push = useNotices((s) => s.push);

  useModalDialog(ref);
  useEffect(() => {
    listRecent(browserStorage()).then(setRecent, () => setRecent([]));
  }, []);

  return (
    <dialog ref={ref} className="dialog open-dialog" aria-label="Open a document" onClose={onClose}>
      <div className="dialog-head">
        <h2>Open</h2>
        <button type="button" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      <section aria-label="Examples">
        <h3>Examples</h3>
        <ExampleGallery onOpened={onClose} />
      </section>
      <section aria-label="Recent documents">
        <h3>Recent documents</h3>
        {recent?.length === 0 && <p className="muted">None yet.</p>}
        <ul className="recent-list">
          {recent?.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className="recent-item"
                disabled={r.id === docId}
                onClick={async () => {
                  const out = await openRecent(browserStorage(), r.id);
                  if (out.ok) onClose();
                  else push({ kind: 'error', text: `“${r.name}” could not be opened: ${out.error}` });
                }}
              >
                <span className="gallery-name">{r.name}</span>
                <span className="muted">
                  {r.nodes} nodes · {new Date(r.savedAt).toLocaleString()}
                  {r.id === docId ? ' · open now' : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </dialog>
  );
}
