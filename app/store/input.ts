/**
 * The input document P. The text itself lives outside React state: a 50 MB file put in a store that
 * components subscribe to would be compared, copied into props and re-rendered on every change. Components
 * see only `InputMeta` (size, source, a version number) and read the text on demand with `inputText()`.
 */
import { create } from 'zustand';
import { decodeText, estimateTokenizer, MAX_INPUT_BYTES, normalizeText } from '../../workers/lang/index.ts';

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

/**
 * Makes `raw` the input; whatever its source, its line endings become `
` and a BOM is dropped.
 * `known.tokens`: a count made elsewhere (a worker), so the page need not count a text it did not change.
 */
export function setInputText(
  raw: string,
  source: InputSource,
  name = '',
  known: { tokens?: number } = {},
): void {
  const next = normalizeText(raw);
  const counted = next.length === raw.length ? known.tokens : undefined;
  text = next;
  const version = useInput.getState().meta.version + 1;
  useInput.setState({
    meta: {
      source: next.length === 0 ? 'none' : source,
      name,
      chars: next.length,
      tokens: counted ?? estimateTokenizer.count(next),
      tokenizer: estimateTokenizer.name,
      version,
    },
    loading: null,
    error: null,
    expected: null,
  });
}

export const INPUT_EXTENSIONS = ['.txt', '.md', '.markdown', '.json', '.jsonl', '.csv', '.tsv', '.log'];

/**
 * Reads a file without blocking the page (`File.arrayBuffer()` reads off the main thread's critical path)
 * and decodes it as the CLI does: UTF-8 or UTF-16, BOM and CRLF normalised, anything else refused with
 * what to do. Nothing of the text enters React state.
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
    const decoded = decodeText(new Uint8Array(await file.arrayBuffer()), file.name);
    if (!decoded.ok) {
      useInput.setState({ loading: null, error: decoded.error });
      return;
    }
    setInputText(decoded.text, 'file', file.name);
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

/** What the user typed into the text area and has not been taken in yet (see `typeInputText`). */
let typing: { timer: ReturnType<typeof setTimeout>; value: string } | undefined;

/**
 * Typing in the input's text area is taken in after a short pause (counting a long document on every key
 * would lag), as pasted text.
 */
export function typeInputText(value: string, pauseMs = 150): void {
  if (typing) clearTimeout(typing.timer);
  typing = { value, timer: setTimeout(takeTypedInput, pauseMs) };
}

export function typingPending(): boolean {
  return typing !== undefined;
}

/** Takes in what was typed now rather than after the pause (the page is being left: it must be saved). */
export function takeTypedInput(): void {
  if (!typing) return;
  clearTimeout(typing.timer);
  const { value } = typing;
  typing = undefined;
  setInputText(value, 'paste');
}
