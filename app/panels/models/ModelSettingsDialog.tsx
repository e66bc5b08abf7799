import { useId, useRef } from 'react';
import { useModalDialog } from '../../shell/useModalDialog.ts';
import { activeEngine, type EngineChoice, engineReason, useSettings } from '../../store/settings.ts';
import { ApiSection } from './ApiSection.tsx';
import { DeadlinesSection } from './DeadlinesSection.tsx';
import { GgufSection } from './GgufSection.tsx';
import { PricesSection } from './PricesSection.tsx';
import { WebLLMSection } from './WebLLMSection.tsx';
import './models.css';

const ENGINES: Array<{ value: EngineChoice; label: string; hint: string }> = [
  { value: 'webllm', label: 'Local WebGPU', hint: 'Qwen3 on this GPU, in the browser (web-llm)' },
  { value: 'openai', label: 'API', hint: 'Any OpenAI-compatible server: vLLM, Ollama, OpenRouter…' },
  {
    value: 'wllama',
    label: 'GGUF (llama.cpp)',
    hint: 'Any GGUF model, llama.cpp in WebAssembly: on the GPU where WebGPU can run it, else the CPU',
  },
];

/** The model settings (docs/models.md): which engine runs the leaves, why, and its own settings. */
export default function ModelSettingsDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const engine = useSettings((s) => activeEngine(s));
  const reason = useSettings((s) => engineReason(s));
  const gpu = useSettings((s) => s.gpu);
  const setEngine = useSettings((s) => s.setEngine);

  useModalDialog(ref);

  return (
    <dialog
      ref={ref}
      className="dialog model-settings"
      aria-labelledby={titleId}
      onClose={onClose}
      data-testid="model-settings"
    >
      <div className="model-settings__header">
        <h2 id={titleId}>Model settings</h2>
        <button type="button" onClick={() => ref.current?.close()} aria-label="Close model settings">
          ✕
        </button>
      </div>

      <p role="status" className="model-settings__reason" data-testid="engine-reason" data-engine={engine}>
        {reason}
      </p>
      {/* The engine's reason often is the GPU's own words: say them once. */}
      {gpu && !reason.includes(gpu.reason) && (
        <p className="muted" data-testid="gpu-detection" data-usable={String(gpu.usable)}>
          {gpu.usable
            ? `GPU: ${[gpu.vendor, gpu.architecture].filter(Boolean).join(' ') || 'unnamed adapter'}. `
            : ''}
          {gpu.reason}
        </p>
      )}

      <fieldset className="model-settings__engines">
        <legend>Engine</legend>
        {ENGINES.map((e) => (
          <label key={e.value} className="engine-option">
            <input
              type="radio"
              name="engine"
              value={e.value}
              checked={engine === e.value}
              onChange={() => setEngine(e.value)}
            />
            <span>
              <strong>{e.label}</strong>
              <span className="muted"> — {e.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>

      {engine === 'webllm' && <WebLLMSection />}
      {engine === 'openai' && <ApiSection />}
      {engine === 'wllama' && <GgufSection />}
      <PricesSection />
      <DeadlinesSection />
    </dialog>
  );
}
