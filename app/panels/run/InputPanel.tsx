/**
 * The document P and the query. Text can be pasted, a file opened or dropped (text, Markdown, JSON, CSV;
 * tens of MB without freezing: the text never enters React state), or the example's sample generated.
 * A large document is shown as a preview of its beginning, not put whole into a text area.
 */
import { useEffect, useRef, useState } from 'react';
import { sampleKind } from '../../../workers/lang/index.ts';
import { useDocument } from '../../store/document.ts';
import {
  INPUT_EXTENSIONS,
  inputText,
  openInputFile,
  setInputText,
  typeInputText,
  typingPending,
  useInput,
} from '../../store/input.ts';
import { INPUT_SAVE_LIMIT_CHARS, useInputSave } from '../../store/input-persistence.ts';
import { chars, int } from '../../trace/format.ts';
import { generateSample, stopSampleGeneration } from './sampleGeneration.ts';

/** Past this size the text area would slow typing and layout: show a preview instead. */
const EDITABLE_CHARS = 1_000_000;
const PREVIEW_CHARS = 4000;
const SAMPLE_SIZES = [2_000, 8_000, 32_000, 128_000, 256_000, 1_000_000, 4_000_000];

export function InputPanel() {
  const meta = useInput((s) => s.meta);
  const loading = useInput((s) => s.loading);
  const error = useInput((s) => s.error);
  const generating = useInput((s) => s.generating);
  const query = useDocument((s) => s.plan.query);
  const setQuery = useDocument((s) => s.setQuery);
  const generator = useDocument((s) => s.plan.input.generator);
  const inlineInput = useDocument((s) => s.plan.input.text);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const editable = meta.chars <= EDITABLE_CHARS;

  // Text that came from elsewhere (file, sample, a reload, the tab shown again) is written into the text area
  // directly, not via props; never while the user's own typing waits to be taken in.
  // biome-ignore lint/correctness/useExhaustiveDependencies: meta.version is the change signal for the text.
  useEffect(() => {
    const area = areaRef.current;
    if (area && !typingPending() && area.value !== inputText()) area.value = inputText();
  }, [meta.version, editable]);

  const gen = generator ? sampleKind(generator.name) : undefined;
  const defaultTokens = Number(generator?.params.tokens) || 8_000;
  const [sampleTokens, setSampleTokens] = useState<number | null>(null);
  const tokens = sampleTokens ?? defaultTokens;

  const generate = () => {
    if (!gen || !generator) return;
    void generateSample({ generator: gen.name, tokens, seed: Number(generator.params.seed) || 1 });
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping a file is a shortcut for the Open button.
    <div
      className={`input-panel${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const f = e.dataTransfer.files[0];
        if (f) void openInputFile(f);
      }}
    >
      <label className="field">
        <span>Query</span>
        <input
          type="text"
          value={query}
          placeholder="The question every leaf sees as {{query}}"
          onChange={(e) => setQuery(e.target.value)}
          data-testid="run-query"
        />
      </label>
      <div className="input-actions">
        <button type="button" onClick={() => fileRef.current?.click()}>
          Open file…
        </button>
        <input
          ref={fileRef}
          type="file"
          hidden
          accept={INPUT_EXTENSIONS.join(',')}
          data-testid="input-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void openInputFile(f);
            e.target.value = '';
          }}
        />
        {gen && (
          <>
            <button
              type="button"
              onClick={generate}
              data-testid="generate-sample"
              title={gen.description}
              disabled={generating !== null}
            >
              Generate sample
            </button>
            <select
              aria-label="Sample size"
              value={tokens}
              onChange={(e) => setSampleTokens(Number(e.target.value))}
            >
              {[...new Set([defaultTokens, ...SAMPLE_SIZES])]
                .sort((a, b) => a - b)
                .map((n) => (
                  <option key={n} value={n}>
                    {sizeLabel(n)} tokens
                  </option>
                ))}
            </select>
          </>
        )}
        {inlineInput && (
          <button type="button" onClick={() => setInputText(inlineInput, 'sample', 'the plan’s input')}>
            Use the plan’s input
          </button>
        )}
        {meta.chars > 0 && (
          <button type="button" onClick={() => setInputText('', 'none')}>
            Clear
          </button>
        )}
      </div>
      {generating && (
        <div className="sample-progress" data-testid="sample-generating">
          <label>
            <span>Generating {generating.label}…</span>
            <progress
              max={1}
              value={generating.fraction}
              data-testid="sample-progress"
              data-fraction={generating.fraction.toFixed(3)}
            />
          </label>
          <button type="button" onClick={() => stopSampleGeneration()} data-testid="sample-stop">
            Stop
          </button>
        </div>
      )}
      <p className="input-meta" data-testid="input-meta" aria-live="polite">
        {loading ??
          (meta.chars === 0
            ? 'No input yet: paste text, open or drop a file.'
            : `${int(meta.chars)} characters · ~${int(meta.tokens)} tokens (${meta.tokenizer})${meta.name ? ` · ${meta.name}` : ''}`)}
      </p>
      <SaveNotice />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {editable ? (
        <textarea
          ref={areaRef}
          className="input-text"
          aria-label="Input document"
          placeholder="Paste the long document here…"
          spellCheck={false}
          onChange={(e) => typeInputText(e.target.value)}
          data-testid="input-text"
        />
      ) : (
        <LargePreview chars={meta.chars} version={meta.version} />
      )}
    </div>
  );
}

/** Whether the document will be there after a reload (and why not). */
function SaveNotice() {
  const save = useInputSave((s) => s);
  if (save.state === 'too-large')
    return (
      <p className="input-save warn" role="status" data-testid="input-save" data-state="too-large">
        Not kept across reloads: this document has {int(save.chars)} characters, and documents up to{' '}
        {int(INPUT_SAVE_LIMIT_CHARS)} characters are kept in this browser. Reopen the file after a reload.
      </p>
    );
  if (save.state === 'failed')
    return (
      <p className="input-save warn" role="status" data-testid="input-save" data-state="failed">
        Not kept across reloads: the browser's storage refused it ({save.error}).
      </p>
    );
  if (save.state === 'none') return null;
  return (
    <p className="input-save muted" data-testid="input-save" data-state={save.state}>
      {save.state === 'saved' ? 'Kept in this browser across reloads.' : 'Keeping it in this browser…'}
    </p>
  );
}

function sizeLabel(n: number): string {
  if (n >= 1_000_000) return `${n / 1_000_000}M`;
  return n >= 1000 ? `${n / 1000}K` : String(n);
}

function LargePreview({ chars: n, version }: { chars: number; version: number }) {
  const [head, setHead] = useState('');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the text changes only when version moves.
  useEffect(() => {
    setHead(inputText().slice(0, PREVIEW_CHARS));
  }, [version]);
  return (
    <div className="input-preview">
      <p className="muted">
        Too large to edit here ({chars(n)}): showing the first {int(PREVIEW_CHARS)} characters.
      </p>
      <pre className="text-block" data-testid="input-preview">
        {head}
      </pre>
    </div>
  );
}
