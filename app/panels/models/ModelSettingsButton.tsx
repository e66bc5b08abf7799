import * as Comlink from 'comlink';
import { lazy, Suspense, useEffect } from 'react';
import { create } from 'zustand';
import type { GgufBackend, LoadEvent } from '../../../workers/models/index.ts';
import { runtimeClient } from '../../runtime/runtimeClient.ts';
import { activeEngine, ENGINE_LABEL, settingsStore, useSettings } from '../../store/settings.ts';
import { localEngines } from './engines.ts';

// The dialog (and everything it pulls in) loads on first open, not with the first screen.
const ModelSettingsDialog = lazy(() => import('./ModelSettingsDialog.tsx'));

/** Whether the model settings dialog is open: the toolbar button and the Start tab both open it. */
const useDialogOpen = create<{ open: boolean }>()(() => ({ open: false }));
export const openModelSettings = (): void => useDialogOpen.setState({ open: true });
const closeModelSettings = (): void => useDialogOpen.setState({ open: false });

/**
 * A local model being loaded right now (from the panel or by a run), and where the GGUF in memory runs,
 * as llama.cpp's log said at its load (a run may load it without the settings open).
 */
const useLoading = create<{ fraction: number | null; gguf: GgufBackend['ran'] | null }>()(() => ({
  fraction: null,
  gguf: null,
}));
const RAN_ON = { gpu: 'GPU', cpu: 'CPU', unknown: 'backend unknown' } as const;
let watching = false;

function watchLoads(): void {
  if (watching) return;
  watching = true;
  void localEngines()
    .watchLoads(
      Comlink.proxy((event: LoadEvent) => {
        const fraction = event.ended || event.progress.phase === 'ready' ? null : event.progress.fraction;
        useLoading.setState({ fraction });
        if (event.engine === 'wllama' && event.ended) {
          useLoading.setState({ gguf: event.ended === 'ok' ? (event.backend?.ran ?? null) : null });
        }
      }),
    )
    .catch(() => {
      watching = false;
    });
}

/** Toolbar button naming the active engine (and a load in progress); opens the model settings. */
export function ModelSettingsButton() {
  const open = useDialogOpen((s) => s.open);
  const engine = useSettings((s) => activeEngine(s));
  const detected = useSettings((s) => s.gpu !== null);
  const loading = useLoading((s) => s.fraction);
  const ggufRan = useLoading((s) => s.gguf);

  useEffect(() => {
    watchLoads();
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
        onClick={openModelSettings}
        data-testid="model-settings-button"
      >
        Model: {ENGINE_LABEL[engine]}
        {engine === 'wllama' && ggufRan && loading === null && ` · ${RAN_ON[ggufRan]}`}
        {loading !== null && ` · loading ${Math.floor(loading * 100)}%`}
      </button>
      {open && (
        <Suspense fallback={null}>
          <ModelSettingsDialog onClose={closeModelSettings} />
        </Suspense>
      )}
    </>
  );
}
