import { describe, expect, it } from 'vitest';
import { estimateTokenizer } from '../plan/tokenizer.ts';
import { sampleGenerators } from '../samples/index.ts';
import type { TaskFamily } from '../samples/sample.ts';
import { createScriptedModel, scriptedTokenizer } from '../testing/scripted-model.ts';
import { detectTask } from './detect.ts';
import { DETECT_SCHEMA, detectionRequest } from './detect-request.ts';
import { TASK_FAMILY_IDS } from './families.ts';
import { readDetection } from './read-detection.ts';

/** Wordings no generator makes, several per family, for questions a user would ask. */
const WORDINGS: Record<TaskFamily, string[]> = {
  search: [
    'What is the secret passcode mentioned for the Orion project?',
    'Find the special code assigned to the blue warehouse.',
    "Somewhere in here is a magic number for 'amber-fox'. What is it?",
    'Which identifier was given to the lost shipment?',
  ],
  'multi-hop': [
    'Who founded the museum that stands next to the old harbour?',
    'When was the bridge designed by the Okafor brothers finished?',
    'Where did the author of the second letter grow up?',
    'Which architect built the library that opened after the fire?',
  ],
  aggregate: [
    'How many of these entries are about locations?',
    'Count the lines that ask about a person.',
    'Which category occurs most often: entity or location?',
    'What is the total number of questions labelled numeric value plus those labelled abbreviation?',
  ],
  pairwise: [
    'Give me all pairs of users who both asked about places.',
    'Which two users form a pair where one asked about people and the other about numbers? List every pair.',
    'List the user pairings in which both users asked an abbreviation question.',
  ],
  code: [
    'Which method in this codebase parses the configuration file?',
    'In the repository, what function is responsible for retrying failed uploads? (A) foo (B) bar (C) baz (D) qux',
    'Which class implements the cache eviction?',
  ],
  classify: [
    'What topic is this collection mostly about: politics, sports or health?',
    'Classify this text: is it science, cooking or finance?',
    'Which category best describes the whole document, travel or finance?',
  ],
  summary: [
    'Give me a short overview of this report.',
    'Can you summarise the main points?',
    "What's the gist of this document? Keep it brief.",
    '用几句话总结这份文件。',
  ],
};

const DOC = 'Paragraph one talks about the weather.\n\nParagraph two lists some numbers: 12, 40, 7.\n';

describe('task detection', () => {
  it("picks the generator's family on each example's samples (the double knows them from their truth)", async () => {
    for (const generator of Object.values(sampleGenerators))
      for (const seed of [1, 2, 3, 4, 5]) {
        const sample = generator.generate({ tokens: 3000, seed });
        const model = createScriptedModel({ truth: sample.truth, contextWindow: 4096 });
        const detected = await detectTask({ question: sample.query, input: sample.text, model });
        expect(detected, `${generator.name} seed ${seed}: ${sample.query}`).toMatchObject({
          ok: true,
          family: generator.family,
        });
        expect(model.bases).toEqual(['task-kind']);
      }
  });

  it('picks the family of varied wordings the generators never make (no ground truth)', async () => {
    for (const [family, wordings] of Object.entries(WORDINGS))
      for (const question of wordings) {
        const model = createScriptedModel({ contextWindow: 4096 });
        const detected = await detectTask({ question, input: DOC, model });
        expect(detected, question).toMatchObject({ ok: true, family });
      }
  });

  it("picks the family of a paraphrase of a sample's question from that sample's truth", async () => {
    const sample = sampleGenerators.sniah!.generate({ tokens: 2000, seed: 3, script: 'latin' });
    const key = /(?:for|of|to) ([a-z]+-[a-z]+)/.exec(sample.query)?.[1] ?? '';
    const question = `Tell me the special magic number that ${key} has.`;
    const model = createScriptedModel({ truth: sample.truth });
    expect(await detectTask({ question, input: sample.text, model })).toMatchObject({
      ok: true,
      family: 'search',
    });
  });

  it('logs the call as one leaf call with its tokens, through the scheduler', async () => {
    const sample = sampleGenerators.oolong!.generate({ tokens: 2000, seed: 1 });
    const model = createScriptedModel({ truth: sample.truth });
    const detected = await detectTask({ question: sample.query, input: sample.text, model });
    if (!detected.ok) throw new Error('no family');
    const types = detected.record.events.map((e) => e.type);
    expect(types).toEqual(['call.start', 'leaf.request', 'leaf.done', 'call.done']);
    expect(detected.record.promptTokens).toBeGreaterThan(0);
    expect(detected.record.completionTokens).toBeGreaterThan(0);
    expect(model.requests[0]?.jsonSchema).toEqual(DETECT_SCHEMA);
  });

  it('a junk or unknown reply is a DetectionFailed error that quotes it, never a guess', async () => {
    for (const junk of [
      'I think it is a search task',
      '{"family": "translate"}',
      '{"family": 3}',
      '["search"]',
    ]) {
      const model = createScriptedModel({ rewrite: () => junk });
      const detected = await detectTask({ question: 'What is the code for Orion?', input: DOC, model });
      expect(detected.ok, junk).toBe(false);
      if (detected.ok) continue;
      expect(detected.error.kind).toBe('DetectionFailed');
      expect(detected.record?.events.at(-1)).toMatchObject({
        type: 'call.error',
        error: { kind: 'ParseFailed' },
      });
    }
  });

  it("an empty reply is the scheduler's typed failure (never an answer)", async () => {
    const model = createScriptedModel({ rewrite: () => '' });
    const detected = await detectTask({ question: 'Who?', input: DOC, model, scheduler: { maxRetries: 0 } });
    expect(detected).toMatchObject({ ok: false, error: { kind: 'LeafFailed' } });
  });

  it('a failing model is a typed error (the run error kind), with the call in the record', async () => {
    const model = createScriptedModel({ fault: () => new Error('boom') });
    const detected = await detectTask({
      question: 'Who?',
      input: DOC,
      model,
      scheduler: { maxRetries: 0 },
    });
    expect(detected.ok).toBe(false);
    if (!detected.ok) expect(detected.error.kind).not.toBe('DetectionFailed');
  });
});

describe('reading the reply', () => {
  it('takes {"family": KIND} or a bare kind, and nothing else', () => {
    expect(readDetection('{"family":"aggregate"}')).toEqual({ ok: true, family: 'aggregate' });
    expect(readDetection('<think>hmm</think>\n{"family": "code"}')).toEqual({ ok: true, family: 'code' });
    expect(readDetection(' "pairwise". ')).toEqual({ ok: true, family: 'pairwise' });
    for (const id of TASK_FAMILY_IDS) expect(readDetection(id)).toEqual({ ok: true, family: id });
    for (const bad of ['{"family":"search","why":"x"}', '{"kind":"search"}', 'search or code', '{', 'null'])
      expect(readDetection(bad).ok, bad).toBe(false);
  });
});

describe('the detection request', () => {
  it('holds the question and a preview of the document that fits the window', () => {
    const doc = 'word '.repeat(20_000);
    for (const contextWindow of [512, 1024, 4096, 32_768]) {
      const built = detectionRequest('How many?', doc, { contextWindow, tokenizer: scriptedTokenizer });
      expect(built.ok).toBe(true);
      if (!built.ok) continue;
      const prompt = built.request.messages.map((m) => m.content).join('\n');
      expect(prompt).toContain('How many?');
      expect(built.previewChars).toBeGreaterThan(0);
      expect(built.previewChars).toBeLessThan(doc.length);
      const tokens = built.request.messages.reduce((n, m) => n + scriptedTokenizer.count(m.content) + 8, 0);
      expect(tokens + built.request.maxTokens).toBeLessThanOrEqual(contextWindow);
    }
  });

  it('shows a short document whole, never cuts a surrogate pair, and refuses a question over the window', () => {
    const whole = detectionRequest('Q?', 'short text', { contextWindow: 4096, tokenizer: estimateTokenizer });
    expect(whole.ok && whole.previewChars).toBe('short text'.length);
    const emoji = '😀'.repeat(5000);
    const cut = detectionRequest('Q?', emoji, { contextWindow: 2048, tokenizer: estimateTokenizer });
    expect(cut.ok && cut.previewChars % 2).toBe(0);
    const huge = detectionRequest('why '.repeat(5000), 'doc', {
      contextWindow: 1024,
      tokenizer: estimateTokenizer,
    });
    expect(huge).toMatchObject({ ok: false, error: { kind: 'PromptTooLarge' } });
  });
});
