import { lazy, Suspense, useEffect, useState } from 'react';
import { runtimeClient } from '../../runtime/runtimeClient.ts';
import { activeEngine, settingsStore, useSettings } from '../../store/settings.ts';

// The dialog (and everything it pulls in) loads on first open, not with the first screen.
const ModelSettingsDialog = lazy(() => import('./ModelSettingsDialog.tsx'));

const ENGINE_LABEL = { webllm: 'Local WebGPU', openai: 'API', wllama: 'CPU (GGUF)' } as const;

/** Toolbar button naming the active engine; opens the model settings. */
export function ModelSettingsButton() {
  const [open, setOpen] = useState(false);
  const engine = useSettings((s) => activeEngine(s));
  const detected = useSettings((s) => s.gpu !== null);

  useEffect(() => {
    if (detected) return;
    let live = true;
    runtimeClient()
      .capabilities()
      .then((caps) => live && settingsStore.getState().setGpu(caps.gpu))
      .catch(() => {
        // The status line reports a runtime that does not start; the default engine is then the API.
      });
    return () => {
      live = false;
    };
  }, [detected]);

  return (
    <>
      <button
        type="button"
        className="toolbar-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(true)}
        data-testid="model-settings-button"
      >
        Model: {ENGINE_LABEL[engine]}
      </button>
      {open && (
        <Suspense fallback={null}>
          <ModelSettingsDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
