import { ShareButton } from './ShareButton.tsx';
import { SharedLinkOpener } from './SharedLinkOpener.tsx';

/** Sharing in the toolbar: the Share button, and the opener of links found in the address. */
export function Share() {
  return (
    <>
      <ShareButton />
      <SharedLinkOpener />
    </>
  );
}
