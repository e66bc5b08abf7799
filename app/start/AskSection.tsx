/**
 * The Start tab's second way in: paste a document, ask a question, press one button. The task family is
 * detected by one model call (or picked here), its template opens on the canvas and runs; "Compare with
 * RLM" also runs RLM mode on the same document and question and shows the two side by side.
 */
import { useId, useRef } from 'react';
import { isTaskFamily, TASK_FAMILIES, taskFamilyInfo } from '../../workers/lang/index.ts';
import { openCompare, useAsk } from '../store/ask.ts';
import { INPUT_EXTENSIONS, openInputFile, useInput } from '../store/input.ts';
import { useRunSession } from '../store/runSession.ts';
import { int } from '../trace/format.ts';
import { askQuestion } from './ask-flow.ts';

const STEP_TEXT = {
  detecting: 'Detecting the kind of task…',
  running: 'Running the plan…',
  rlm: 'Running RLM mode (the model writes code)…',
} as const;

export function AskSection() {
  const ids = { heading: useId(), doc: useId(), question: useId(), family: useId(), file: useId() };
  const docRef = useRef<HTMLTextAreaElement>(null);
  const question = useAsk((s) => s.question);
  const family = useAsk((s) => s.family);
  const step = useAsk((s) => s.step);
  const chosen = useAsk((s) => s.chosen);
  const error = useAsk((s) => s.error);
  const hasCompare = useAsk((s) => s.compare !== null);
  const inputChars = useInput((s) => s.meta.chars);
  const inputName = useInput((s) => s.meta.name);
  const live = useRunSession((s) => s.liveRunId !== null);
  const busy = step === 'detecting' || step === 'running' || step === 'rlm' || live;
  const ask = (compare: boolean) => void askQuestion(docRef.current?.value ?? '', { compare });
  return (
    <section aria-labelledby={ids.heading} className="start-section ask-section" data-testid="ask-section">
      <h2 id={ids.heading}>Ask about your document</h2>
      <div className="field">
        <label htmlFor={ids.doc}>Document</label>
        <textarea
          id={ids.doc}
          ref={docRef}
          rows={4}
          spellCheck={false}
          placeholder={
            inputChars > 0
              ? `Paste a document, or leave empty to ask about the open input (${inputName || 'untitled'}, ${int(inputChars)} characters).`
              : 'Paste a document here…'
          }
          data-testid="ask-document"
        />
        <span className="field-hint">
          or{' '}
          <label htmlFor={ids.file} className="link">
            open a file
          </label>
          <input
            id={ids.file}
            type="file"
            accept={INPUT_EXTENSIONS.join(',')}
            className="visually-hidden"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) {
                if (docRef.current) docRef.current.value = '';
                void openInputFile(file);
              }
              e.target.value = '';
            }}
          />
        </span>
      </div>
      <div className="field">
        <label htmlFor={ids.question}>Question</label>
        <input
          id={ids.question}
          value={question}
          onChange={(e) => useAsk.setState({ question: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !busy) ask(false);
          }}
          placeholder="What is the access code for the Orion vault?"
          data-testid="ask-question"
        />
      </div>
      <div className="field">
        <label htmlFor={ids.family}>Kind of task</label>
        <select
          id={ids.family}
          value={family}
          onChange={(e) => {
            const v = e.target.value;
            useAsk.setState({ family: isTaskFamily(v) ? v : 'auto' });
          }}
          data-testid="ask-family"
        >
          <option value="auto">Detect automatically (one model call)</option>
          {TASK_FAMILIES.map((f) => (
            <option key={f.family} value={f.family}>
              {f.label}
            </option>
          ))}
        </select>
      </div>
      <div className="ask-actions">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => ask(false)}
          data-testid="ask-run"
        >
          ▶ Ask
        </button>
        <button type="button" disabled={busy} onClick={() => ask(true)} data-testid="ask-compare">
          Compare with RLM
        </button>
        {hasCompare && !busy && (
          <button type="button" className="link" onClick={openCompare}>
            Show the comparison
          </button>
        )}
      </div>
      <p role="status" className="muted" data-testid="ask-state" data-step={step}>
        {step in STEP_TEXT ? STEP_TEXT[step as keyof typeof STEP_TEXT] : ''}
        {chosen && step !== 'detecting' && (
          <span data-testid="ask-chosen" data-family={chosen.family}>
            {' '}
            Task: {taskFamilyInfo(chosen.family).label} ({chosen.by === 'model' ? 'detected' : 'picked'}); its
            plan is on the canvas.
          </span>
        )}
      </p>
      {error && (
        <p role="alert" className="error-text" data-testid="ask-error">
          {error}
        </p>
      )}
    </section>
  );
}
