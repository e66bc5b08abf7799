/**
 * TEST DOUBLE: how the scripted model answers "which of these task kinds is this question?", a request
 * whose declared schema asks for one of the task families' names (a string enum, alone or as an object's
 * one property). It answers from the question's meaning, as a model would, never from the prompt's
 * wording around it:
 *
 * - the question is the text labelled `Question:` in the prompt (or, with no such label, the first
 *   paragraph of the last user message);
 * - with ground truth: a sample whose question the prompt holds, or a paraphrase of it (most of its
 *   content words), is of the family of the generator that made it (`truth.family`);
 * - otherwise: keyword cues in the question (counting words for aggregates, "pairs" for pairwise,
 *   "function" or "repository" for code, "summarise" for summaries, "topic" for classification, "magic
 *   number" or "secret" for a search, question words for multi-hop QA).
 */
import type { GroundTruth } from '../../workers/lang/samples/truth.ts';
import { normaliseSpace } from './text-index.ts';

const FAMILIES = ['search', 'multi-hop', 'aggregate', 'pairwise', 'code', 'classify', 'summary'] as const;
type Family = (typeof FAMILIES)[number];

type Schema = Record<string, unknown>;
const asSchema = (s: unknown): Schema | undefined =>
  s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Schema) : undefined;

/** Where the enum sits: the schema itself, or one property of an object schema. */
function choiceOf(schema: unknown): { options: string[]; property?: string } | undefined {
  const s = asSchema(schema);
  if (!s) return undefined;
  const isKinds = (e: unknown): e is string[] =>
    Array.isArray(e) && e.filter((v) => (FAMILIES as readonly unknown[]).includes(v)).length >= 3;
  if (isKinds(s.enum)) return { options: s.enum };
  const props = asSchema(s.properties);
  if (!props) return undefined;
  const names = Object.keys(props);
  if (names.length !== 1) return undefined;
  const inner = asSchema(props[names[0] as string]);
  return inner && isKinds(inner.enum) ? { options: inner.enum, property: names[0] as string } : undefined;
}

function questionOf(messages: readonly { role: string; content: string }[]): string {
  const text = messages.map((m) => String(m.content)).join('\n');
  const labelled = /(?:^|\n)\s*(?:Question|问题)\s*[:：]\s*([\s\S]*?)(?:\n\s*\n|$)/i.exec(text);
  if (labelled?.[1]) return labelled[1].trim();
  const users = messages.filter((m) => m.role === 'user');
  const last = String(users[users.length - 1]?.content ?? text);
  return last.split(/\n\s*\n/)[0]?.trim() ?? '';
}

const STOP = new Set(
  'a an the of in on at to for by with from and or is are was were be this that these those it its what which who whom when where how does do did there their any all'.split(
    ' ',
  ),
);
const words = (s: string) =>
  (s.toLowerCase().match(/[\p{L}\p{N}'-]+/gu) ?? []).filter((w) => w.length > 1 && !STOP.has(w));

/** Most of the truth's question's content words are in the asked question. */
function paraphrases(asked: string, truthQuestion: string): boolean {
  const want = new Set(words(truthQuestion));
  if (want.size === 0) return false;
  const have = new Set(words(asked));
  let shared = 0;
  for (const w of want) if (have.has(w)) shared++;
  return shared / want.size >= 0.6;
}

/** Keyword cues, strongest first within a family; a family's score is how many of its cues match. */
const CUES: Record<Family, RegExp[]> = {
  pairwise: [/\bpairs?\b/i, /\bboth users\b/i, /\btwo users\b/i, /\bpairings?\b/i, /成对|两两/],
  code: [
    /\bfunctions?\b/i,
    /\bmethods?\b/i,
    /\bclass(es)?\b/i,
    /\brepo(sitory)?\b/i,
    /\bsource( code)?\b/i,
    /\bmodules?\b/i,
    /\bimplement(s|ed|ation)?\b/i,
    /函数|代码/,
  ],
  classify: [
    /\bclassif(y|ied|ication)\b/i,
    /\bmostly about\b/i,
    /\bmain (topic|subject|theme)\b/i,
    /\b(which|what) (topic|category|genre|subject|theme)\b/i,
    /\bcategori[sz]e\b/i,
    /\bmainly about\b/i,
    /分类|主题/,
  ],
  summary: [
    /summar/i,
    /\boverview\b/i,
    /\bgist\b/i,
    /\bkey points\b/i,
    /\btl;?dr\b/i,
    /\brecap\b/i,
    /概括|总结|摘要/,
  ],
  aggregate: [
    /\bhow many (of|questions|items|entries|lines|records|rows|times|are)\b/i,
    /\bcount(s|ing)?\b/i,
    /\bmost (often|common|frequent)\b/i,
    /\bmore (common|often|frequent)\b/i,
    /\b(total|sum|tally)\b/i,
    /\bfrequen(cy|t)\b/i,
    /\boccurs?\b/i,
    /多少个|统计/,
  ],
  search: [
    /\bmagic number\b/i,
    /\bsecret\b/i,
    /\bpass(word|code|phrase)\b/i,
    /\b(access|secret|special) code\b/i,
    /\bnumber (for|of|belonging|assigned|attached|tied)\b/i,
    /\bidentifier\b/i,
    /\bfind the\b/i,
    /魔法数字|密码/,
  ],
  'multi-hop': [
    /\b(who|when|where|whom)\b/i,
    /\bwhat year\b/i,
    /\bwhich (architect|person|year|city|building)\b/i,
  ],
};

/** Ties go to the more specific family. */
const ORDER: readonly Family[] = [
  'pairwise',
  'code',
  'classify',
  'summary',
  'aggregate',
  'search',
  'multi-hop',
];

export function familyByCues(question: string, options: readonly string[] = FAMILIES): string {
  let best: string | undefined;
  let bestScore = 0;
  for (const family of ORDER) {
    if (!options.includes(family)) continue;
    const score = CUES[family].filter((re) => re.test(question)).length;
    if (score > bestScore) {
      best = family;
      bestScore = score;
    }
  }
  // A question with no cue is a general question about what the document says.
  return best ?? (options.includes('multi-hop') ? 'multi-hop' : (options[0] ?? ''));
}

/** The reply to a task-kind request, or undefined when the request is not one. */
export function taskKindReply(
  request: { messages: readonly { role: string; content: string }[]; jsonSchema?: unknown },
  truths: readonly GroundTruth[],
): string | undefined {
  const choice = choiceOf(request.jsonSchema);
  if (!choice) return undefined;
  const asked = questionOf(request.messages);
  const prompt = normaliseSpace(request.messages.map((m) => String(m.content)).join('\n'));
  const known = truths.find(
    (t) =>
      t.family !== undefined &&
      choice.options.includes(t.family) &&
      t.question !== undefined &&
      (prompt.includes(normaliseSpace(t.question)) || paraphrases(asked, t.question)),
  );
  const family = known?.family ?? familyByCues(asked, choice.options);
  return JSON.stringify(choice.property !== undefined ? { [choice.property]: family } : family);
}
