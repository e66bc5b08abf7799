import { type RefObject, useEffect } from 'react';

/**
 * Shows a `<dialog>` as a modal once it is mounted. Closing is left to the dialog itself (Escape, a close
 * button calling `close()`, its `onClose` unmounting it): the effect has no cleanup that closes it, because
 * React StrictMode (the dev server) runs every effect, its cleanup and the effect again on the same
 * element, and a `close()` there fires `close` — the dialog's `onClose` then unmounted it within
 * milliseconds of opening. An unmounted dialog leaves the top layer by itself.
 */
export function useModalDialog(ref: RefObject<HTMLDialogElement | null>): void {
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, [ref]);
}
