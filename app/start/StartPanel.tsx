/**
 * The Start tab: what a first visit shows beside the example it opened. Two steps to a finished run —
 * choose where the model runs (for an API: base URL and model, right here), then Run — and the other
 * examples one click away. It is a list of ways to start; the second is "paste a document and ask a
 * question" (AskSection.tsx).
 */
import { useId } from 'react';
import { ExampleGallery } from '../documents/ExampleGallery.tsx';
import { ApiEndpointFields } from '../panels/models/ApiEndpointFields.tsx';
import { openModelSettings } from '../panels/models/ModelSettingsButton.tsx';
import { someModelNames, useModelsOffered } from '../panels/models/offeredModels.ts';
import { startRun, useRunController } from '../panels/run/runController.ts';
import { stopSampleGeneration } from '../panels/run/sampleGeneration.ts';
import { useDocument } from '../store/document.ts';
import { useInput } from '../store/input.ts';
import { useRunSession } from '../store/runSession.ts';
import {
  activeEngine,
  modelConfigOf,
  quantizationOf,
  useSettings,
  webllmModelId,
} from '../store/settings.ts';
import { int } from '../trace/format.ts';
import { AskSection } from './AskSection.tsx';
import './start.css';

export function StartPanel() {
  const headingId = useId();
  const name = useDocument((s) => s.plan.name);
  const empty = useDocument((s) => s.plan.nodes.length === 0);
  return (
    <div className="start-panel" data-testid="start-panel">
      <section aria-labelledby={headingId} className="start-section">
        <h2 id={headingId}>Run an example</h2>
        {empty ? (
          <p className="muted">Choose an example below: it opens with a sample document ready to run.</p>
        ) : (
          <p>
            <strong data-testid="start-example">{name}</strong> is open.
          </p>
        )}
        <ol className="start-steps">
          <li>
            <h3>Choose where the model runs</h3>
            <EngineStep />
          </li>
          <li>
            <h3>Run it</h3>
            <RunStep disabled={empty} />
          </li>
        </ol>
      </section>
      <AskSection />
      <section aria-label="Examples" className="start-section">
        <h2>Examples</h2>
        <ExampleGallery brief />
      </section>
    </div>
  );
}

/** The engine step: the API's fields right here, or what the local engine needs. */
function EngineStep() {
  const engine = useSettings((s) => activeEngine(s));
  // A string (or null), not the config object: a selector must return something stable.
  const notReady = useSettings((s) => {
    const m = modelConfigOf(s);
    return m.ok ? null : m.reason;
  });
  const size = useSettings((s) => s.webllmSize);
  const modelId = useSettings((s) => webllmModelId(s.webllmSize, quantizationOf(s.gpu)));
  const setEngine = useSettings((s) => s.setEngine);
  const api = useSettings((s) => s.api);
  const offered = useModelsOffered(api.baseUrl);
  const model = api.model.trim();
  // What the server at that address said it offers (listed when the base URL is entered): a new user
  // learns the model's name here, and a misspelt one is caught before a run fails on it.
  const unlisted =
    engine === 'openai' && model !== '' && offered.length > 0 && !offered.some((m) => m.id === model);
  const state =
    engine !== 'openai'
      ? (notReady ?? '✓ Ready to run.')
      : model === '' && offered.length > 0
        ? `The server offers ${someModelNames(offered)}: type one as the Model.`
        : unlisted
          ? `⚠ The server does not list “${model}”: it offers ${someModelNames(offered)}.`
          : notReady === null
            ? '✓ Ready to run.'
            : 'Fill in the base URL and the model to run.';
  return (
    <div className="start-engine" data-engine={engine}>
      {engine === 'openai' && (
        <>
          <p className="muted">An OpenAI-compatible server (Ollama, vLLM, llama.cpp, OpenRouter…):</p>
          <ApiEndpointFields />
        </>
      )}
      {engine === 'webllm' && (
        <p>
          Qwen3 {size} runs on this computer's GPU, in the browser ({modelId} is downloaded on the first run).{' '}
          <button type="button" className="link" onClick={() => setEngine('openai')}>
            Use an API server instead
          </button>
        </p>
      )}
      {engine === 'wllama' && (
        <p>A GGUF model on the CPU: choose its file or address in the model settings.</p>
      )}
      <p
        className={unlisted ? 'start-ready warn' : notReady ? 'start-ready muted' : 'start-ready ok'}
        data-testid="start-engine-state"
      >
        {state}{' '}
        <button type="button" className="link" onClick={openModelSettings}>
          All model settings…
        </button>
      </p>
    </div>
  );
}

/** The run step: one button, and how the run goes (or why it cannot start). */
function RunStep({ disabled }: { disabled: boolean }) {
  const generating = useInput((s) => s.generating);
  const chars = useInput((s) => s.meta.chars);
  const live = useRunSession((s) => s.liveRunId !== null);
  const view = useRunSession((s) => s.view);
  const viewing = useRunSession((s) => s.viewing);
  const notice = useRunController((s) => s.notice);
  const starting = useRunController((s) => s.starting);
  const c = view.counters;
  return (
    <div className="start-run">
      {generating ? (
        <p className="muted" data-testid="start-input-state">
          Making the sample document… {Math.round(generating.fraction * 100)}%{' '}
          <button type="button" className="link" onClick={() => stopSampleGeneration()}>
            Stop
          </button>
        </p>
      ) : (
        <p className="muted" data-testid="start-input-state">
          {chars > 0
            ? `Input ready: ${int(chars)} characters.`
            : 'No input yet: generate the sample or paste a document in the Input tab.'}
        </p>
      )}
      <button
        type="button"
        className="primary"
        disabled={disabled || live || starting || generating !== null || chars === 0}
        onClick={() => void startRun()}
        data-testid="start-run"
      >
        ▶ Run the example
      </button>
      {notice?.error && (
        <p role="alert" className="error-text">
          {notice.text}
        </p>
      )}
      {viewing !== null && (
        <p role="status" className="start-progress" data-testid="start-run-state" data-status={view.status}>
          {live
            ? `Running: ${int(c.doneCalls)} of ${int(c.calls)} tree calls done, ${int(c.leafCalls)} model calls…`
            : view.status === 'done'
              ? 'Done: the answer is in the Result tab below.'
              : view.status === 'failed'
                ? 'The run failed: the Result tab below says why.'
                : view.status === 'aborted'
                  ? 'The run was stopped.'
                  : ''}
        </p>
      )}
    </div>
  );
}
