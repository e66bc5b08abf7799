import { lazy, Suspense, useState } from 'react';
import './share.css';

/** The dialog loads when Share is first pressed, not with the first screen. */
const ShareDialog = lazy(() => import('./ShareDialog.tsx'));

/** The Share button: makes the link of the open plan, copies it, and says how long it is. */
export function ShareButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        title="Share this plan as a link"
      >
        Share
      </button>
      {open && (
        <Suspense fallback={null}>
          <ShareDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
