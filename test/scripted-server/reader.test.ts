import { describe, expect, it } from 'vitest';
import type { GroundTruth } from '../../workers/lang/samples/truth.ts';
import { scriptedCompletion } from './completion.ts';
import { NO_TRUTH_ANSWER, readPrompt } from './reader.ts';
import { scriptedPromptTokens, scriptedTokenCount } from './tokenizer.ts';

const needle = 'The special magic number for silver-owl is 4417203.';
const sniah: GroundTruth = {
  question: 'What is the special magic number for silver-owl?',
  facts: [{ evidence: [needle], answer: '4417203' }],
};
const ask = (content: string, truth: GroundTruth | GroundTruth[] = sniah, jsonSchema?: unknown) =>
  readPrompt(
    { messages: [{ role: 'user', content }], ...(jsonSchema ? { jsonSchema } : {}) },
    { truth: Array.isArray(truth) ? truth : [truth] },
  );

describe('the scripted model reads ground truth, not templates', () => {
  it('answers only a question it is asked, only from evidence in front of it', () => {
    const q = sniah.question!;
    expect(readPrompt({ messages: [{ role: 'user', content: q }] }).text).toBe(NO_TRUTH_ANSWER);
    expect(ask(`Some text. ${needle}`).text).toBe('NOT_FOUND');
    expect(ask(`${q}\nNothing useful here.`).text).toBe('NOT_FOUND');
    expect(ask(`${q}\n${needle}`)).toEqual({ text: '4417203', basis: 'fact' });
    // Half a needle is no needle.
    expect(ask(`${q}\n${needle.slice(0, 30)}`).text).toBe('NOT_FOUND');
    expect(
      readPrompt(
        { messages: [{ role: 'user', content: `${q}\n` }] },
        { truth: [sniah], sentinel: 'NONE_HERE' },
      ).text,
    ).toBe('NONE_HERE');
  });

  it('gives the same answer under any wording of the template, system prompt or layout', () => {
    const q = sniah.question!;
    const templates = [
      `Find it.\nQuestion: ${q}\nText:\n${needle}`,
      `${needle}\n\n---\nUsing only the passage above, ${q.toLowerCase()}`.replace('what', 'What'),
      `Passage: ${needle.replace(/ /g, '\r\n')}\r\nQ: ${q}`,
    ];
    for (const t of templates) expect(ask(t).text).toBe('4417203');
    const withSystem = readPrompt(
      {
        messages: [
          { role: 'system', content: `You answer questions. ${q}` },
          { role: 'user', content: needle },
        ],
      },
      { truth: [sniah] },
    );
    expect(withSystem.text).toBe('4417203');
  });

  it('does not see a number inside a longer one, or evidence inside a longer word', () => {
    const truth: GroundTruth = {
      question: 'How many?',
      facts: [{ evidence: ['"location":37'], answer: 37 }],
    };
    expect(ask('How many? {"location":370}', truth).text).toBe('NOT_FOUND');
    expect(ask('How many? {"location":37,"entity":2}', truth).text).toBe('37');
  });

  it('finds evidence quoted inside JSON, where its quotes are escaped', () => {
    const truth: GroundTruth = {
      question: 'Which function?',
      facts: [{ evidence: ['    """Return True when it matches."""'], answer: 'B' }],
    };
    const notes = JSON.stringify(['    """Return True when it matches."""']);
    expect(ask(`Which function?\nNotes: ${notes}`, truth).text).toBe('B');
  });

  it('needs every piece of a two-sentence fact, and quotes the pieces it has', () => {
    const a = 'The Halvorsen family paid for the observatory on Kestrel Hill.';
    const b = 'The observatory on Kestrel Hill first welcomed visitors in 1843.';
    const truth: GroundTruth = {
      question: 'In which year did the stargazing station that the Halvorsen family paid for open?',
      facts: [{ evidence: [a, b], answer: '1843' }],
    };
    const q = truth.question!;
    expect(ask(`${q}\n${b}`, truth).text).toBe('NOT_FOUND');
    expect(ask(`${q}\n${b} Filler. ${a}`, truth).text).toBe('1843');
    const quotes = { type: 'array', items: { type: 'string' } };
    expect(JSON.parse(ask(`${q}\nFiller. ${b}`, truth, quotes).text)).toEqual([b]);
    expect(JSON.parse(ask(`${q}\n${b} ${a}`, truth, quotes).text)).toEqual([b, a]);
    expect(JSON.parse(ask(`${q}\nFiller only.`, truth, quotes).text)).toEqual([]);
    const object = { type: 'object', properties: { answer: { type: 'string' }, quotes: quotes } };
    expect(JSON.parse(ask(`${q}\n${a} ${b}`, truth, object).text)).toEqual({
      answer: '1843',
      quotes: [a, b],
    });
    expect(JSON.parse(ask(`${q}\n${a}`, truth, object).text)).toEqual({ answer: 'NOT_FOUND', quotes: [a] });
  });

  const records: GroundTruth = {
    question: "How many questions carry the label 'location'?",
    categories: ['location', 'human being'],
    recordReply: 'counts',
    records: [
      {
        text: 'Date: Jan 01, 2020 || User: 11111 || Instance: What is the capital of Peru?',
        fields: { label: 'location', user: '11111' },
      },
      {
        text: 'Date: Jan 02, 2020 || User: 22222 || Instance: Who wrote Moby Dick?',
        fields: { label: 'human being', user: '22222' },
      },
      {
        text: 'Date: Jan 03, 2020 || User: 11111 || Instance: Where is Angkor Wat located?',
        fields: { label: 'location', user: '11111' },
      },
      {
        text: 'Date: Jan 04, 2020 || User: 33333 || Instance: What is a haiku?',
        fields: { label: 'description and abstract concept', user: '33333' },
      },
    ],
    facts: [{ evidence: ['"location":2', '"human being":1'], answer: 2 }],
  };
  const dump = records.records!.map((r) => r.text).join('\r\n');

  it('counts the records of the named categories that are whole in the prompt', () => {
    const q = records.question!;
    const counts = { type: 'object', additionalProperties: { type: 'integer' } };
    expect(JSON.parse(ask(`${q}\n${dump}`, records, counts).text)).toEqual({ location: 2, 'human being': 1 });
    // Without a schema it still counts (the family's default reply); a cut record is not counted.
    expect(JSON.parse(ask(`${q}\n${dump.slice(0, -20)}`, records).text)).toEqual({
      location: 2,
      'human being': 1,
    });
    expect(JSON.parse(ask(`${q}\n${dump.slice(0, 150)}`, records).text)).toEqual({
      location: 1,
      'human being': 1,
    });
    // A record on the template's own line is still read.
    expect(JSON.parse(ask(`${q} Items: ${dump}`, records, counts).text)).toEqual({
      location: 2,
      'human being': 1,
    });
    // The answer step: reading off totals once they are all there.
    expect(ask(`Totals: {"location":2,"human being":1}\n${q}`, records).text).toBe('2');
  });

  it('lists records with the fields a schema names, and votes on a majority', () => {
    const q = records.question!;
    const rows = {
      type: 'array',
      items: { type: 'object', properties: { user: { type: 'string' }, label: { type: 'string' } } },
    };
    expect(JSON.parse(ask(`${q}\n${dump}`, records, rows).text)).toEqual([
      { user: '11111', label: 'location' },
      { user: '22222', label: 'human being' },
      { user: '11111', label: 'location' },
    ]);
    const vote: GroundTruth = { ...records, recordReply: 'majority', facts: [] };
    expect(ask(`${q}\n${dump}`, vote).text).toBe('location');
    // A tie goes to the label seen first.
    const [, second, third] = records.records!;
    expect(ask(`${q}\n${second!.text}\n${third!.text}`, vote).text).toBe('human being');
    expect(ask(`${q}\nNo records here.`, vote).text).toBe('NOT_FOUND');
  });

  it('fills an object schema by property name from a fact whose answer is an object', () => {
    const truth: GroundTruth = {
      question: 'List every pair of users where both asked about a location.',
      facts: [
        {
          evidence: ['List every pair of users where both asked about a location.'],
          answer: { first: ['location'], second: ['location'] },
        },
      ],
    };
    const schema = {
      type: 'object',
      properties: {
        first: { type: 'array', items: { type: 'string' } },
        second: { type: 'array', items: { type: 'string' } },
      },
    };
    expect(JSON.parse(ask(`Turn this into a condition. ${truth.question}`, truth, schema).text)).toEqual({
      first: ['location'],
      second: ['location'],
    });
  });

  it('summarises from the key sentences in the prompt, in order, within 200 characters', () => {
    const keys = Array.from({ length: 12 }, (_, i) => `Key sentence number ${i} opens its paragraph.`);
    const truth: GroundTruth = { keySentences: keys };
    const text = keys.map((k) => `${k} Filler follows. More filler.`).join('\n\n');
    const summary = ask(`Condense:\n${text}`, truth).text;
    expect(summary.startsWith(keys[0]!)).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(200);
    expect(ask(`Condense:\n${keys[3]} ${keys[1]}`, truth).text).toBe(`${keys[3]} ${keys[1]}`);
    expect(ask('Condense: filler only.', truth).text).toBe('NOT_FOUND');
  });
});

describe('the scripted model’s tokens and window', () => {
  it('counts tokens its own way, not four characters a token', () => {
    expect(scriptedTokenCount('4417203')).toBe(7);
    expect(scriptedTokenCount('银色猫头鹰')).toBe(5);
    expect(scriptedTokenCount('The old miller carried a basket.')).toBe(8);
    expect(scriptedTokenCount('internationalization')).toBe(4);
    expect(scriptedTokenCount('a\r\nb')).toBe(3);
    expect(scriptedTokenCount('🙂🙂')).toBe(4);
    expect(scriptedTokenCount('Zoë')).toBe(2);
    expect(scriptedPromptTokens([{ content: 'hi' }])).toBe(8);
  });

  it('refuses a prompt over its window as vLLM does, and cuts an answer at max tokens', () => {
    const messages = [{ role: 'user', content: `${sniah.question}\n${needle}` }];
    const tokens = scriptedPromptTokens(messages);
    const ok = scriptedCompletion({ messages, maxTokens: 8 }, { contextWindow: tokens + 8, truth: [sniah] });
    expect(ok).toMatchObject({ ok: true, text: '4417203', finishReason: 'stop', completionTokens: 7 });
    const refused = scriptedCompletion(
      { messages, maxTokens: 9 },
      { contextWindow: tokens + 8, truth: [sniah] },
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toContain(`(${tokens} in the messages, 9 in the completion)`);
    const cut = scriptedCompletion({ messages, maxTokens: 3 }, { contextWindow: 4096, truth: [sniah] });
    expect(cut).toMatchObject({ ok: true, text: '441', finishReason: 'length' });
  });

  it('as llama.cpp, refuses only a prompt that fills the window, and stops where the window ends', () => {
    const messages = [{ role: 'user', content: `${sniah.question}\n${needle}` }];
    const tokens = scriptedPromptTokens(messages);
    const settings = { contextWindow: tokens + 3, truth: [sniah], contextErrors: 'llama.cpp' as const };
    expect(scriptedCompletion({ messages, maxTokens: 100 }, settings)).toMatchObject({
      ok: true,
      text: '441',
      finishReason: 'length',
    });
    expect(scriptedCompletion({ messages }, { ...settings, contextWindow: tokens }).ok).toBe(false);
  });
});
