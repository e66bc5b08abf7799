/**
 * Reading a root model's reply: its JavaScript code blocks, in order, and a `FINAL(…)` or `FINAL_VAR(…)`
 * written as text outside them (the original RLM's way of ending). A FINAL inside a code block is code,
 * run by the sandbox, never read here.
 */

/** Fence languages run as JavaScript; an untagged fence counts too. */
const RUNNABLE = new Set(['', 'js', 'javascript', 'repl', 'mjs']);

export interface ParsedReply {
  blocks: string[];
  /** Fenced blocks in another language (python…), which nothing runs: the model is told. */
  otherLanguages: string[];
  /** `FINAL(text)` outside code: the answer as written, quotes of a string literal removed. */
  final?: { answer: string } | { variable: string };
}

export function parseReply(text: string): ParsedReply {
  const blocks: string[] = [];
  const otherLanguages: string[] = [];
  let outside = '';
  const fence = /^[ \t]*```([^\n`]*)\n([\s\S]*?)^[ \t]*```[ \t]*$/gm;
  let last = 0;
  for (const m of text.matchAll(fence)) {
    outside += `${text.slice(last, m.index)}\n`;
    last = m.index + m[0].length;
    const lang = (m[1] ?? '').trim().toLowerCase();
    const code = m[2] ?? '';
    if (RUNNABLE.has(lang)) {
      if (code.trim() !== '') blocks.push(code.replace(/\n$/, ''));
    } else otherLanguages.push(lang);
  }
  outside += text.slice(last);
  // A fence opened and never closed (a reply cut at its token limit): the rest is code, not prose.
  const open = /^[ \t]*```([^\n`]*)\n/m.exec(outside);
  if (open && RUNNABLE.has((open[1] ?? '').trim().toLowerCase())) {
    const rest = outside.slice(open.index + open[0].length);
    if (rest.trim() !== '') blocks.push(rest.replace(/\n$/, ''));
    outside = outside.slice(0, open.index);
  }
  const parsed: ParsedReply = { blocks, otherLanguages };
  const final = finalIn(outside);
  if (final) parsed.final = final;
  return parsed;
}

function finalIn(prose: string): ParsedReply['final'] {
  const variable = /^[ \t]*FINAL_VAR\(\s*["'`]?([A-Za-z_$][\w$]*)["'`]?\s*\)/m.exec(prose);
  const literal = /^[ \t]*FINAL\(/m.exec(prose);
  if (variable && (!literal || variable.index <= literal.index)) return { variable: variable[1] as string };
  if (!literal) return undefined;
  // Up to the parenthesis that closes FINAL( — the answer may hold parentheses of its own.
  const rest = prose.slice(literal.index + literal[0].length);
  let depth = 1;
  let end = -1;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) {
      end = i;
      break;
    }
  }
  let answer = (end >= 0 ? rest.slice(0, end) : rest).trim();
  const quoted = /^(["'`])([\s\S]*)\1$/.exec(answer);
  if (quoted) answer = quoted[2] as string;
  return { answer };
}
