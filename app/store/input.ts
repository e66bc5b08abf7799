/**
 * The input document P. The text itself lives outside React state: a 50 MB file put in a store that
 * components subscribe to would be compared, copied into props and re-rendered on every change. Components
 * see only `InputMeta` (size, source, a version number) and read the text on demand with `inputText()`.
 */
import { create } from 'zustand';
import { estimateTokenizer } from '../../workers/lang/index.ts';

export type InputSource = 'none' | 'paste' | 'file' | 'sample';

export interface InputMeta {
  source: InputSource;
  /** File name, sample generator name, or "" for pasted text. */
  name: string;
  chars: number;
  tokens: number;
  tokenizer: string;
  /** Bumped on every change: views that show the text re-read it when this moves. */
  version: number;
}

interface InputStore {
  meta: InputMeta;
  loading: string | null;
  error: string | null;
  /** The answer a generated sample comes with, so the result can be checked against it. */
  expected: { generator: string; value: unknown } | null;
  /** A sample being generated (in a worker), with its progress 0…1. */
  generating: { label: string; fraction: number } | null;
}

let text = '';

export const useInput = create<InputStore>()(() => ({
  meta: { source: 'none', name: '', chars: 0, tokens: 0, tokenizer: estimateTokenizer.name, version: 0 },
  loading: null,
  error: null,
  expected: null,
  generating: null,
}));

export function inputText(): string {
  return text;
}

/** Makes `next` the input. `known.tokens`: a count made elsewhere (a worker), so the page need not count. */
export function setInputText(
  next: string,
  source: InputSource,
  name = '',
  known: { tokens?: number } = {},
): void {
  text = next;
  const version = useInput.getState().meta.version + 1;
  useInput.setState({
    meta: {
      source: next.length === 0 ? 'none' : source,
      name,
      chars: next.length,
      tokens: known.tokens ?? estimateTokenizer.count(next),
      tokenizer: estimateTokenizer.name,
      version,
    },
    loading: null,
    error: null,
    expected: null,
  });
}

/** Largest file the panel opens; past it the page would hold several copies of the text at once. */
export const MAX_INPUT_BYTES = 200 * 1024 * 1024;
export const INPUT_EXTENSIONS = ['.txt', '.md', '.markdown', '.json', '.jsonl', '.csv', '.tsv', '.log'];

/**
 * Reads a file without blocking the page: `File.text()` reads and decodes off the main thread's critical
 * path, and nothing of the text enters React state.
 */
export async function openInputFile(file: File): Promise<void> {
  if (file.size > MAX_INPUT_BYTES) {
    useInput.setState({
      error: `${file.name} is ${(file.size / 1024 / 1024).toFixed(0)} MB; the largest input this page opens is ${MAX_INPUT_BYTES / 1024 / 1024} MB.`,
    });
    return;
  }
  useInput.setState({ loading: `Reading ${file.name}…`, error: null });
  try {
    const body = await file.text();
    if (body.includes('\u0000')) {
      useInput.setState({ loading: null, error: `${file.name} looks like a binary file, not text.` });
      return;
    }
    setInputText(body, 'file', file.name);
  } catch (e) {
    useInput.setState({ loading: null, error: `Could not read ${file.name}: ${String(e)}` });
  }
}

/** A window of the text around [from, to): the span itself trimmed in the middle when long. */
export interface SpanWindow {
  before: string;
  spanHead: string;
  /** Characters of the span left out in the middle (0 when it is shown whole). */
  omitted: number;
  spanTail: string;
  after: string;
  from: number;
  to: number;
}

export function spanWindow(from: number, to: number, context = 300, maxSpan = 1200): SpanWindow | null {
  if (from < 0 || to < from || to > text.length) return null;
  const len = to - from;
  const head = len > maxSpan ? text.slice(from, from + maxSpan / 2) : text.slice(from, to);
  const tail = len > maxSpan ? text.slice(to - maxSpan / 2, to) : '';
  return {
    before: text.slice(Math.max(0, from - context), from),
    spanHead: head,
    omitted: len > maxSpan ? len - maxSpan : 0,
    spanTail: tail,
    after: text.slice(to, to + context),
    from,
    to,
  };
}
