import * as Comlink from 'comlink';
import { useId, useState } from 'react';
import type { EngineTrouble, LocalModelConfig, TryResult } from '../../../workers/models/index.ts';
import { localEngines } from './engines.ts';
import { TroubleNotice } from './TroubleNotice.tsx';

/**
 * "Try it": one prompt through the same path a leaf call takes, so a user sees the local model answer
 * before running a plan on it. The answer is model output: shown as text, never as HTML.
 */
export function TryModel({ config }: { config: LocalModelConfig }) {
  const promptId = useId();
  const [prompt, setPrompt] = useState('Say hello in five words.');
  const [busy, setBusy] = useState(false);
  const [streamed, setStreamed] = useState('');
  const [result, setResult] = useState<TryResult | null>(null);
  const [trouble, setTrouble] = useState<EngineTrouble | null>(null);

  const run = async () => {
    setBusy(true);
    setStreamed('');
    setResult(null);
    setTrouble(null);
    const outcome = await localEngines().tryPrompt(
      config,
      prompt,
      64,
      Comlink.proxy((piece: string) => setStreamed((s) => s + piece)),
    );
    setBusy(false);
    if (outcome.ok) setResult(outcome.value);
    else setTrouble(outcome.trouble);
  };

  return (
    <div className="try-model">
      <label htmlFor={promptId}>Test prompt</label>
      <div className="try-model__row">
        <input id={promptId} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <button type="button" onClick={run} disabled={busy || !prompt.trim()}>
          {busy ? 'Generating…' : 'Try it'}
        </button>
      </div>
      {(streamed || result) && (
        <output className="try-model__answer" data-testid="try-output" aria-live="polite">
          {result ? result.text : streamed}
        </output>
      )}
      {result && (
        <p className="muted" data-testid="try-stats" data-finish={result.finishReason}>
          {result.completionTokens} tokens in {result.ms} ms · finished: {result.finishReason}
          {result.finishReason === 'length' && ' (cut at the token limit)'}
        </p>
      )}
      {trouble && <TroubleNotice trouble={trouble} onRetry={run} />}
    </div>
  );
}
