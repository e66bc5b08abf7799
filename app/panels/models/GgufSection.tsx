import * as Comlink from 'comlink';
import { useEffect, useId, useState } from 'react';
import type {
  EngineTrouble,
  GgufBackend,
  LoadProgress,
  LocalModelConfig,
} from '../../../workers/models/index.ts';
import { ggufExpectation } from '../../../workers/models/index.ts';
import { modelConfigOf, settingsStore, useSettings } from '../../store/settings.ts';
import { localEngines } from './engines.ts';
import { ProgressLine } from './ProgressLine.tsx';
import { TroubleNotice } from './TroubleNotice.tsx';
import { TryModel } from './TryModel.tsx';

type Load =
  | { state: 'idle' }
  | { state: 'loading'; progress: LoadProgress }
  | {
      state: 'loaded';
      id: string;
      contextWindow: number;
      tokenizer?: string;
      backend?: GgufBackend;
      config: LocalModelConfig;
    }
  | { state: 'failed'; trouble: EngineTrouble };

function currentConfig(): Extract<LocalModelConfig, { engine: 'wllama' }> | null {
  const result = modelConfigOf({ ...settingsStore.getState(), engine: 'wllama' });
  return result.ok && result.config.engine === 'wllama' ? result.config : null;
}

const DEVICE_CHOICES = [
  { value: 'auto', label: 'GPU where WebGPU can run it, else the CPU' },
  { value: 'cpu', label: 'CPU only' },
] as const;

/**
 * Any GGUF model with llama.cpp in WebAssembly, given by URL or picked from disk: on the GPU where WebGPU
 * can run it, else on the CPU. After a load it shows where llama.cpp actually put the model, from its log.
 */
export function GgufSection() {
  const ids = { url: useId(), file: useId(), ctx: useId() };
  const ggufUrl = useSettings((s) => s.ggufUrl);
  const gguf = useSettings((s) => s.gguf);
  const contextWindow = useSettings((s) => s.cpuContextWindow);
  const device = useSettings((s) => s.ggufDevice);
  const expectation = useSettings((s) => ggufExpectation(s.ggufDevice, s.gpu));
  const { setGgufUrl, setGgufFile, setCpuContextWindow, setGgufDevice } = settingsStore.getState();
  const [load, setLoad] = useState<Load>({ state: 'idle' });

  const start = async () => {
    const config = currentConfig();
    if (!config) return;
    setLoad({ state: 'loading', progress: { phase: 'starting', fraction: 0, text: 'Starting llama.cpp' } });
    const outcome = await localEngines().load(
      config,
      Comlink.proxy((progress: LoadProgress) => setLoad({ state: 'loading', progress })),
    );
    setLoad(
      outcome.ok
        ? { state: 'loaded', ...outcome.value, config }
        : { state: 'failed', trouble: outcome.trouble },
    );
  };

  // A new source, window or device makes the loaded model stale for these settings; the one in memory
  // (loaded earlier, or by a run) shows as loaded.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on any change of source, window or device
  useEffect(() => {
    let live = true;
    setLoad((l) => (l.state === 'loading' ? l : { state: 'idle' }));
    const config = currentConfig();
    if (config) {
      void localEngines()
        .isLoaded(config)
        .then((loaded) => {
          if (live && loaded) void start();
        });
    }
    return () => {
      live = false;
    };
  }, [gguf, contextWindow, device]);

  return (
    <section aria-label="GGUF (llama.cpp)" className="engine-section" data-testid="gguf-section">
      <p className="muted">
        Runs any GGUF model with llama.cpp compiled to WebAssembly: on the GPU through WebGPU where llama.cpp
        can use it, otherwise on the CPU (slow for big models, but it works everywhere). Small instruct models
        (0.5–2B, Q4) are the practical choice on the CPU.
      </p>
      <div className="field">
        <label htmlFor={ids.url}>GGUF model URL</label>
        <input
          id={ids.url}
          type="url"
          placeholder="https://huggingface.co/…/resolve/main/model-q4_k_m.gguf"
          value={ggufUrl}
          onChange={(e) => setGgufUrl(e.target.value)}
          spellCheck={false}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.file}>…or a .gguf file from this computer</label>
        <input
          id={ids.file}
          type="file"
          accept=".gguf"
          onChange={(e) => setGgufFile(e.target.files?.[0] ?? null)}
          data-testid="gguf-file"
        />
      </div>
      <div className="field">
        <label htmlFor={ids.ctx}>Context window (tokens)</label>
        <input
          id={ids.ctx}
          type="number"
          min={256}
          step={256}
          value={contextWindow}
          onChange={(e) => setCpuContextWindow(Number.parseInt(e.target.value, 10))}
        />
      </div>
      <fieldset>
        <legend>Run on</legend>
        {DEVICE_CHOICES.map((c) => (
          <label key={c.value} className="engine-option">
            <input
              type="radio"
              name="gguf-device"
              value={c.value}
              checked={device === c.value}
              onChange={() => setGgufDevice(c.value)}
            />
            {c.label}
          </label>
        ))}
        <p className="muted" data-testid="gguf-expectation">
          {expectation}
        </p>
      </fieldset>
      {gguf && (
        <p className="muted" data-testid="gguf-source">
          Model: {gguf.kind === 'file' ? `${gguf.file.name} (picked file)` : gguf.url}
        </p>
      )}
      {load.state !== 'loading' && load.state !== 'loaded' && (
        <button type="button" className="primary" onClick={start} disabled={!gguf} data-testid="gguf-load">
          Load model
        </button>
      )}
      {load.state === 'loading' && <ProgressLine progress={load.progress} label="Loading the GGUF model" />}
      {load.state === 'failed' && <TroubleNotice trouble={load.trouble} onRetry={start} />}
      {load.state === 'loaded' && (
        <>
          <p className="ok" data-testid="gguf-loaded">
            {load.id.replace(/^wllama:/, '')} is loaded (context {load.contextWindow} tokens): runs will use
            it.
          </p>
          {load.backend && <BackendReport backend={load.backend} />}
          {load.tokenizer && (
            <p className="muted" data-testid="gguf-tokenizer">
              Token counts for planning: {load.tokenizer.replace(/^[^:]*: /, '')}.
            </p>
          )}
          <TryModel config={load.config} />
        </>
      )}
    </section>
  );
}

/** Where llama.cpp put the model, in words, with the log lines that say so. */
function BackendReport({ backend }: { backend: GgufBackend }) {
  return (
    <div
      data-testid="gguf-backend"
      data-ran={backend.ran}
      data-gpu-requested={String(backend.gpuRequested)}
      className={backend.ran === 'gpu' ? 'ok' : 'muted'}
    >
      <p>Running on: {backend.summary}</p>
      {backend.evidence.length > 0 && (
        <details>
          <summary>The lines of llama.cpp's log this is read from</summary>
          <pre className="gguf-log" data-testid="gguf-log">
            {backend.evidence.join('\n')}
          </pre>
        </details>
      )}
    </div>
  );
}
