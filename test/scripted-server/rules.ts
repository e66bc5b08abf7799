/**
 * TEST DOUBLE. The deterministic "model" behind the scripted OpenAI-compatible server: it answers the
 * example plans' leaf prompts by the rules written in docs/examples.md (the contract with the examples),
 * recognising each task by the wording of the example's LLM template. Keep the two in step.
 *
 * Prompts are read loosely on purpose (any message, any order of question and text), so a reworded
 * template still works as long as its instruction begins with the agreed words.
 */
export interface ScriptedMessage {
  role: string;
  content: string;
}

export const FALLBACK_ANSWER = 'SCRIPTED: no rule for this prompt.';

interface Rule {
  name: string;
  /** The leaf instruction begins with this (case-insensitive). */
  instruction: RegExp;
  answer(prompt: Prompt): string;
}

interface Prompt {
  /** All messages, joined. */
  all: string;
  /** The question, when the prompt carries one (a `Question:` / `Query:` line). */
  question: string | undefined;
  /** The material to work on: the prompt without the instruction and question lines. */
  body: string;
}

const RULES: Rule[] = [
  {
    name: 'secret-code',
    instruction: /find the secret code/i,
    answer(p) {
      const needles = [...p.body.matchAll(/The secret code for (\S+?) is (\S+?)\.(?=\s|$)/g)];
      const key = secretKey(p);
      const hit = needles.find((m) => key !== undefined && sameKey(m[1]!, key));
      return hit ? hit[2]! : 'NOT FOUND';
    },
  },
  {
    name: 'classify',
    instruction: /classify each question/i,
    answer(p) {
      const counts: Record<string, number> = {};
      for (const m of p.body.matchAll(/^\s*Q\d+:\s*(.*)$/gm)) {
        const category = categoryOf(m[1]!);
        if (category) counts[category] = (counts[category] ?? 0) + 1;
      }
      return JSON.stringify(counts);
    },
  },
  {
    name: 'hobby-ids',
    instruction: /list the ids of users whose hobby is/i,
    answer(p) {
      const hobby = /users whose hobby is\s+["“']?([^"”'\n.?:]+?)["”']?\s*(?:[.?:\n]|$)/i
        .exec(p.all)?.[1]
        ?.trim();
      const ids: string[] = [];
      for (const m of p.body.matchAll(
        /^\s*User\s+(\S+)\s*\|\s*city:\s*([^|]*?)\s*\|\s*hobby:\s*(.*?)\s*$/gm,
      )) {
        if (hobby && m[3]!.toLowerCase() === hobby.toLowerCase()) ids.push(m[1]!);
      }
      return JSON.stringify(ids);
    },
  },
  {
    name: 'extract',
    instruction: /extract the sentences relevant to the question/i,
    answer(p) {
      const keywords = keywordsOf(p.question ?? '');
      const relevant = sentences(p.body).filter((s) => {
        const words = new Set((s.match(/[A-Za-z]+/g) ?? []).map((w) => w.toLowerCase()));
        return keywords.some((k) => words.has(k));
      });
      return relevant.length > 0 ? relevant.join('\n') : 'NONE';
    },
  },
  {
    name: 'synthesise',
    instruction: /answer the question using only these notes/i,
    answer(p) {
      const line = p.body
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l !== '' && l !== 'NONE' && !/^notes?:$/i.test(l));
      return line ?? 'NONE';
    },
  },
  {
    name: 'summarise',
    instruction: /summari[sz]e the following text/i,
    answer(p) {
      const firsts = p.body
        .split(/\n\s*\n/)
        .map((para) => para.replace(/\s+/g, ' ').trim())
        .filter((para) => para !== '')
        .map((para) => sentences(para)[0] ?? para);
      const joined = firsts.join(' ');
      return joined.length <= 200 ? joined : joined.slice(0, 200).replace(/\s+\S*$/, '');
    },
  },
];

/** The scripted model's answer to a chat request. */
export function scriptedAnswer(messages: readonly ScriptedMessage[]): { rule: string; text: string } {
  const all = messages.map((m) => m.content).join('\n');
  for (const rule of RULES) {
    if (!rule.instruction.test(all)) continue;
    return { rule: rule.name, text: rule.answer(readPrompt(all, rule.instruction)) };
  }
  return { rule: 'fallback', text: FALLBACK_ANSWER };
}

const QUESTION_LINE = /^\s*(?:question|query)\s*:\s*(.*)$/i;
/** Lines that only label what follows (`Text:`, `Notes:`), not part of the material. */
const LABEL_LINE = /^\s*(?:text|chunk|document|passage|notes?|input|context)\s*:\s*$/i;

function readPrompt(all: string, instruction: RegExp): Prompt {
  let question: string | undefined;
  const kept: string[] = [];
  for (const line of all.split('\n')) {
    const q = QUESTION_LINE.exec(line);
    if (q) {
      question ??= q[1]!.trim();
      continue;
    }
    if (instruction.test(line) || LABEL_LINE.test(line)) continue;
    kept.push(line);
  }
  return { all, question, body: kept.join('\n') };
}

/** The key the question asks about: from "secret code for <key>" not followed by "is". */
function secretKey(p: Prompt): string | undefined {
  const sources = [p.question ?? '', p.all];
  for (const source of sources) {
    for (const m of source.matchAll(/secret code for\s+["“']?([^\s"”'?.,]+)["”']?(?!\s+is\s)/gi)) {
      return m[1];
    }
  }
  return undefined;
}

function sameKey(a: string, b: string): boolean {
  return a.replace(/[.,;:!?"'”“]+$/, '').toLowerCase() === b.replace(/[.,;:!?"'”“]+$/, '').toLowerCase();
}

function categoryOf(question: string): string | undefined {
  const q = question.trim().toLowerCase();
  if (q.startsWith('how many')) return 'number';
  if (q.startsWith('where')) return 'location';
  if (q.startsWith('who')) return 'person';
  if (q.startsWith('when')) return 'time';
  return undefined;
}

function keywordsOf(question: string): string[] {
  return [...new Set((question.match(/[A-Za-z]{4,}/g) ?? []).map((w) => w.toLowerCase()))];
}

function sentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
