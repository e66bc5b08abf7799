/**
 * What the root model reads in an RLM run: a system prompt that says what the sandbox offers and its
 * limits, a first message with the question and the document's shape (its size, its beginning and end,
 * never the whole of it unless it is short), then the conversation so far: each reply and what its code
 * printed. Every root call fits the model's window: older turns are left out first (their variables stay in
 * the sandbox), then the newest turn is cut, then the preview; what was dropped is said in the prompt.
 */
import { type ChatMessage, requestTokens, type Tokenizer } from '../lang/index.ts';

export interface DocumentShape {
  chars: number;
  tokens: number;
  lines: number;
  /** Characters per token in this document, by the tokenizer that sizes the calls. */
  charsPerToken: number;
}

export interface PromptFacts {
  query: string;
  document: string;
  shape: DocumentShape;
  /** The longest prompt an llm_query may send, in tokens (its answer's room taken off). */
  subPromptTokens: number;
  /** Printed characters a cell shows. */
  outputChars: number;
  cellSeconds: number;
  maxIterations: number;
}

/** How much of the document the first message shows, at most. */
export const PREVIEW_CHARS = { head: 1200, tail: 400 } as const;

export function documentShape(document: string, tokenizer: Tokenizer): DocumentShape {
  const tokens = tokenizer.count(document);
  let lines = document.length > 0 ? 1 : 0;
  for (let i = document.indexOf('\n'); i >= 0; i = document.indexOf('\n', i + 1)) lines++;
  return {
    chars: document.length,
    tokens,
    lines,
    charsPerToken: tokens > 0 ? document.length / tokens : 4,
  };
}

const n = (x: number) => Math.round(x).toLocaleString('en');

export function systemPrompt(f: PromptFacts): string {
  const subChars = Math.floor(f.subPromptTokens * f.shape.charsPerToken);
  return [
    'You answer a question about a document that is too long to read at once. The document is not in this conversation: it sits in a JavaScript sandbox as the string variable `context`. You work by writing JavaScript in ```js code blocks. Each block runs in the sandbox, and what it prints is shown to you in the next message.',
    '',
    'In the sandbox:',
    '- `context` (string): the whole document. `query` (string): the question.',
    `- \`await llm_query(prompt)\` returns a language model's answer (a string) to one prompt. The prompt must fit ${n(f.subPromptTokens)} tokens, about ${n(subChars)} characters of this document, instructions included; a longer prompt throws a PromptTooLarge error and is not sent, so split the document into pieces smaller than that.`,
    '- `await llm_query_batched(prompts)` asks several prompts at once and returns their answers in order (faster than one at a time).',
    `- \`print(...values)\` shows values to you in the next message (the first ${n(f.outputChars)} characters of a block's output).`,
    '- `FINAL(answer)` gives the final answer and ends the work; `FINAL_VAR("name")` gives the variable of that name.',
    `Variables and functions persist from block to block. There is no network, no DOM, no require and no import. A block may run ${f.cellSeconds} s of code (waiting for llm_query is not counted). You have ${f.maxIterations} replies in all.`,
    '',
    "Work in steps: look at the document's shape, split it into pieces that fit llm_query, ask each piece about the question (put the question in every prompt and ask for a short answer, or NOT_FOUND when the piece does not hold it), then combine the answers in code. Call FINAL only with the answer itself, never with a plan.",
  ].join('\n');
}

export function firstMessage(f: PromptFacts, previewScale = 1): string {
  const { document, shape } = f;
  const head = Math.floor(PREVIEW_CHARS.head * previewScale);
  const tail = Math.floor(PREVIEW_CHARS.tail * previewScale);
  const size = `The document: ${n(shape.chars)} characters (about ${n(shape.tokens)} tokens), ${n(shape.lines)} line${shape.lines === 1 ? '' : 's'}.`;
  let view: string;
  if (document.length <= head + tail)
    view = `It is short; here it is whole (it is also in \`context\`):\n<<<\n${document}\n>>>`;
  else {
    view = `Its beginning:\n<<<\n${document.slice(0, head)}\n>>>`;
    if (tail > 0) view += `\nIts end:\n<<<\n${document.slice(document.length - tail)}\n>>>`;
  }
  return `Question: ${f.query}\n\n${size}\n${view}\n\nWrite your first code block.`;
}

export interface Turn {
  /** The model's reply, as it wrote it. */
  reply: string;
  /** What its code printed and how the blocks ended, as the model will read it. */
  feedback: string;
}

export interface RootPrompt {
  messages: ChatMessage[];
  /** What had to go to fit the window (empty when nothing did). */
  dropped: string[];
  /** False when even the shortest form does not fit. */
  fits: boolean;
  tokens: number;
}

function tokensOf(messages: ChatMessage[], tokenizer: Tokenizer): number {
  // Counted as the scheduler's window guard counts a request, so a prompt trimmed here is never refused there.
  return requestTokens({ messages }, tokenizer);
}

function cut(text: string, keep: number): string {
  if (text.length <= keep) return text;
  const half = Math.max(0, Math.floor(keep / 2));
  return `${text.slice(0, half)}\n[… ${n(text.length - 2 * half)} characters cut to fit the window …]\n${text.slice(text.length - half)}`;
}

/**
 * The messages of the next root call, within `budget` tokens: the system prompt, the first message, the
 * turns so far (oldest left out first), and `next` (what the model is asked now).
 */
export function rootPrompt(
  facts: PromptFacts,
  turns: readonly Turn[],
  budget: number,
  tokenizer: Tokenizer,
): RootPrompt {
  const system: ChatMessage = { role: 'system', content: systemPrompt(facts) };
  const build = (kept: readonly Turn[], omitted: number, previewScale: number, lastCut: number | null) => {
    const first = firstMessage(facts, previewScale);
    const messages: ChatMessage[] = [system, { role: 'user', content: first }];
    kept.forEach((t, i) => {
      const isLast = i === kept.length - 1;
      const note =
        i === 0 && omitted > 0
          ? `[${omitted} earlier repl${omitted === 1 ? 'y was' : 'ies were'} left out to fit the window; the variables they made are still in the sandbox.]\n`
          : '';
      const reply = isLast && lastCut !== null ? cut(t.reply, lastCut) : t.reply;
      const feedback = isLast && lastCut !== null ? cut(t.feedback, lastCut) : t.feedback;
      messages.push({ role: 'assistant', content: reply }, { role: 'user', content: note + feedback });
    });
    return messages;
  };
  const dropped: string[] = [];
  let omitted = 0;
  let messages = build(turns, 0, 1, null);
  let tokens = tokensOf(messages, tokenizer);
  while (tokens > budget && omitted < turns.length - 1) {
    omitted++;
    messages = build(turns.slice(omitted), omitted, 1, null);
    tokens = tokensOf(messages, tokenizer);
  }
  if (omitted > 0) dropped.push(`${omitted} earlier repl${omitted === 1 ? 'y' : 'ies'} left out`);
  const kept = turns.slice(omitted);
  if (tokens > budget && kept.length > 0) {
    const last = kept[kept.length - 1] as Turn;
    let keep = Math.max(last.reply.length, last.feedback.length);
    while (tokens > budget && keep > 200) {
      keep = Math.floor(keep * 0.7);
      messages = build(kept, omitted, 1, keep);
      tokens = tokensOf(messages, tokenizer);
    }
    dropped.push('the latest reply and its output cut');
  }
  let scale = 1;
  while (tokens > budget && scale > 0.05) {
    scale /= 2;
    messages = build(kept, omitted, scale, kept.length > 0 ? 200 : null);
    tokens = tokensOf(messages, tokenizer);
  }
  if (scale < 1) dropped.push("the document's preview shortened");
  return { messages, dropped, fits: tokens <= budget, tokens };
}
