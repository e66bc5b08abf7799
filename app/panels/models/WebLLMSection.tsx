import * as Comlink from 'comlink';
import { useCallback, useEffect, useState } from 'react';
import type { EngineTrouble } from '../../../workers/models/index.ts';
import {
  formatBytes,
  formatMB,
  type LoadProgress,
  type LocalModelOption,
  smallerModel,
} from '../../../workers/models/index.ts';
import { quantizationOf, settingsStore, useSettings, webllmModelId } from '../../store/settings.ts';
import { localEngines } from './engines.ts';
import { ProgressLine } from './ProgressLine.tsx';
import { TroubleNotice } from './TroubleNotice.tsx';
import { TryModel } from './TryModel.tsx';

type Load =
  | { state: 'idle' }
  | { state: 'loading'; progress: LoadProgress }
  | { state: 'loaded'; modelId: string }
  | { state: 'failed'; trouble: EngineTrouble };

/** Qwen3 on WebGPU: model choice with memory needs, download and load, cache and storage. */
export function WebLLMSection() {
  const gpu = useSettings((s) => s.gpu);
  const size = useSettings((s) => s.webllmSize);
  const quantization = quantizationOf(gpu);
  const modelId = webllmModelId(size, quantization);

  const [catalog, setCatalog] = useState<LocalModelOption[] | null>(null);
  const [catalogTrouble, setCatalogTrouble] = useState<EngineTrouble | null>(null);
  const [cached, setCached] = useState<Record<string, boolean>>({});
  const [storage, setStorage] = useState<{ usage: number; quota: number; persisted: boolean | null } | null>(
    null,
  );
  const [load, setLoad] = useState<Load>({ state: 'idle' });

  const usable = gpu?.usable === true;

  const refreshCache = useCallback(async (ids: string[]) => {
    const engines = localEngines();
    const [status, estimate, persisted] = await Promise.all([
      engines.webllmCacheStatus(ids),
      engines.storageEstimate(),
      navigator.storage?.persisted?.().catch(() => null) ?? Promise.resolve(null),
    ]);
    setCached(status);
    setStorage(estimate ? { ...estimate, persisted } : null);
  }, []);

  useEffect(() => {
    if (!usable) return;
    let live = true;
    const engines = localEngines();
    void (async () => {
      const [outcome, loaded] = await Promise.all([engines.webllmCatalog(), engines.loaded()]);
      if (!live) return;
      if (!outcome.ok) {
        setCatalogTrouble(outcome.trouble);
        return;
      }
      setCatalog(outcome.value);
      if (loaded.webllm) setLoad({ state: 'loaded', modelId: loaded.webllm });
      await refreshCache(outcome.value.map((m) => m.modelId));
    })();
    return () => {
      live = false;
    };
  }, [usable, refreshCache]);

  if (!gpu) return <p className="muted">Checking WebGPU…</p>;

  if (!usable) {
    return (
      <section aria-label="Local WebGPU" className="engine-section" data-testid="webllm-section">
        <p role="alert" className="trouble" data-testid="webgpu-unavailable">
          {gpu.reason} Qwen3 cannot run on this GPU here: use an OpenAI-compatible API, or a small GGUF model
          with llama.cpp on the CPU.
        </p>
        <div className="trouble__actions">
          <button type="button" onClick={() => settingsStore.getState().setEngine('openai')}>
            Use an API instead
          </button>
          <button type="button" onClick={() => settingsStore.getState().setEngine('wllama')}>
            Use a GGUF model (llama.cpp)
          </button>
        </div>
      </section>
    );
  }

  const offered = catalog?.filter((m) => m.quantization === quantization) ?? [];
  const chosen = offered.find((m) => m.modelId === modelId);
  const smaller = catalog ? smallerModel(catalog, modelId) : undefined;

  const start = async (id: string) => {
    // A multi-gigabyte download should not be evicted under storage pressure: ask first (page only).
    if (!cached[id]) await navigator.storage?.persist?.().catch(() => false);
    setLoad({
      state: 'loading',
      progress: { phase: 'starting', fraction: 0, text: 'Starting the WebLLM worker' },
    });
    const outcome = await localEngines().load(
      { engine: 'webllm', modelId: id },
      Comlink.proxy((progress: LoadProgress) => setLoad({ state: 'loading', progress })),
    );
    setLoad(outcome.ok ? { state: 'loaded', modelId: id } : { state: 'failed', trouble: outcome.trouble });
    if (catalog) void refreshCache(catalog.map((m) => m.modelId));
  };

  const remove = async (id: string) => {
    const outcome = await localEngines().webllmDelete(id);
    if (!outcome.ok) setLoad({ state: 'failed', trouble: outcome.trouble });
    else if (load.state === 'loaded' && load.modelId === id) setLoad({ state: 'idle' });
    if (catalog) void refreshCache(catalog.map((m) => m.modelId));
  };

  return (
    <section aria-label="Local WebGPU" className="engine-section" data-testid="webllm-section">
      {quantization === 'q4f32' && (
        <p className="muted" data-testid="quantization-note">
          This GPU has no shader-f16, so the q4f32 variants are offered (larger, a little slower than q4f16).
        </p>
      )}
      {catalogTrouble && <TroubleNotice trouble={catalogTrouble} />}
      {!catalog && !catalogTrouble && <p className="muted">Reading web-llm's model list…</p>}
      {catalog && (
        <fieldset>
          <legend>Qwen3 model</legend>
          {offered.map((m) => (
            <div
              key={m.modelId}
              className="model-option"
              data-testid="webllm-option"
              data-model-id={m.modelId}
            >
              <label>
                <input
                  type="radio"
                  name="webllm-model"
                  value={m.modelId}
                  checked={m.modelId === modelId}
                  onChange={() => settingsStore.getState().setWebllmSize(m.size as typeof size)}
                />
                <span>
                  <strong>Qwen3 {m.size}</strong> ({m.quantization}) — needs {formatMB(m.vramMB)} of GPU
                  memory
                  {m.lowResource ? '' : '; too big for most laptops'} · context {m.contextWindow} tokens
                </span>
              </label>
              <span className={cached[m.modelId] ? 'ok' : 'muted'} data-testid="cache-status">
                {cached[m.modelId] ? 'downloaded' : 'not downloaded'}
              </span>
              {cached[m.modelId] && (
                <button
                  type="button"
                  onClick={() => remove(m.modelId)}
                  aria-label={`Delete Qwen3 ${m.size} from the cache`}
                >
                  Delete
                </button>
              )}
            </div>
          ))}
        </fieldset>
      )}
      {storage && (
        <p className="muted" data-testid="storage-estimate">
          Browser storage for this site: {formatBytes(storage.usage)} used of {formatBytes(storage.quota)}{' '}
          available
          {storage.persisted === true
            ? ' (persistent)'
            : storage.persisted === false
              ? ' (may be evicted)'
              : ''}
          .
        </p>
      )}
      {chosen && load.state !== 'loading' && !(load.state === 'loaded' && load.modelId === modelId) && (
        <button type="button" className="primary" onClick={() => start(modelId)} data-testid="webllm-load">
          {cached[modelId] ? `Load Qwen3 ${chosen.size}` : `Download and load Qwen3 ${chosen.size}`}
        </button>
      )}
      {load.state === 'loading' && <ProgressLine progress={load.progress} label={`Loading ${modelId}`} />}
      {load.state === 'failed' && (
        <TroubleNotice
          trouble={load.trouble}
          onRetry={() => start(modelId)}
          {...(smaller && {
            smaller: {
              label: `Qwen3 ${smaller.size}`,
              choose: () => settingsStore.getState().setWebllmSize(smaller.size as typeof size),
            },
          })}
        />
      )}
      {load.state === 'loaded' && load.modelId === modelId && (
        <>
          <p className="ok" data-testid="webllm-loaded">
            {modelId} is loaded: runs will use it.
          </p>
          <TryModel config={{ engine: 'webllm', modelId }} />
        </>
      )}
    </section>
  );
}
