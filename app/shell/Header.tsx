import { DocumentBar } from '../documents/DocumentBar.tsx';
import { ModelSettingsButton } from '../panels/models/ModelSettingsButton.tsx';
import { RunControls } from '../panels/run/RunControls.tsx';
import { Share } from '../share/Share.tsx';

/** The top bar: product name, then the document, run, share and model controls (each from its own folder). */
export function Header({ onAutoLayout }: { onAutoLayout: () => void }) {
  return (
    <header className="header">
      <h1 className="brand">
        <span aria-hidden="true">λ</span> Fixpoint
      </h1>
      <DocumentBar onAutoLayout={onAutoLayout} />
      <div className="toolbar" role="toolbar" aria-label="Main toolbar">
        <RunControls />
        <Share />
        <ModelSettingsButton />
      </div>
    </header>
  );
}
