/**
 * The examples on documents nobody wrote for them: README, CHANGELOG and type-declaration files of installed
 * packages (testing/own-corpus.ts), with facts planted in wordings unlike the generators', questions that
 * paraphrase them, and labels of our own on real lines. Each run must give the right answer within the
 * planner's N̂ calls and never send a prompt over the window; with the evidence taken out, it must give no
 * answer (or zero, for a count), never a confident one. docs/examples.md, "Tried on documents nobody wrote
 * for them", lists the cases.
 */
import { describe, expect, it, vi } from 'vitest';
import { pairsMeeting } from '../samples/oolong-pairs.ts';
import type { Sample } from '../samples/sample.ts';
import { SUMMARY_MAX_CHARS } from '../samples/summary.ts';
import type { GroundTruth, TruthRecord } from '../samples/truth.ts';
import { cutsOf, withoutOverlap } from '../testing/cuts.ts';
import { loadExamples } from '../testing/examples.ts';
import {
  CORPUS,
  concatenated,
  corpusFile,
  crlf,
  plantAfter,
  plantLine,
  withoutLines,
} from '../testing/own-corpus.ts';
import { type ExampleRun, explain, runExample } from '../testing/run-example.ts';

// Whole runs of the examples over documents of tens of thousands of tokens: seconds each on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const examples = loadExamples();
const example = (file: string) => examples.find((e) => e.file === file)!;

/** A run that answered right, within N̂ calls, no prompt over the window. */
function expectRight(run: ExampleRun): void {
  expect(run.outcome.error, explain(run)).toBeUndefined();
  expect(run.score, explain(run)).toBe(1);
  expect(run.outcome.totals.leafCalls).toBeGreaterThan(0);
  expect(run.outcome.totals.leafCalls, explain(run)).toBeLessThanOrEqual(run.predictedCalls);
  expect(run.oversize).toEqual([]);
}

/** A run on a document without the evidence: no answer, no error, within N̂. */
function expectNoAnswer(run: ExampleRun): void {
  expect(run.outcome.error, explain(run)).toBeUndefined();
  expect(run.outcome.absent, explain(run)).toBe(true);
  expect(run.outcome.totals.leafCalls, explain(run)).toBeLessThanOrEqual(run.predictedCalls);
  expect(run.oversize).toEqual([]);
}

const sample = (text: string, query: string, expected: unknown, truth: GroundTruth): Sample => ({
  text,
  query,
  expected,
  truth: { question: query, ...truth },
});

describe('S-NIAH on three package READMEs', () => {
  const corpus = concatenated([CORPUS.dompurify, CORPUS.fastCheck, CORPUS.quickjs]);
  // A code given digit-group by digit-group, asked for in other words; a sentence that names the locker
  // without its code sits elsewhere.
  const NEEDLE =
    'Side note from the release crew: the Otterbeck locker opens to 58-2096-13, and nobody has changed that since.';
  const NEAR_MISS = 'Whoever holds the Otterbeck locker key keeps it to themselves.';
  const QUERY = 'Which combination does the locker at Otterbeck take?';
  const truth = { facts: [{ evidence: [NEEDLE], answer: '58-2096-13' }] };
  const withNearMiss = plantLine(corpus, NEAR_MISS, 0.3);

  for (const [where, at, window, endings] of [
    ['at the very start', 0, 4096, 'LF'],
    ['in the middle', 0.55, 8192, 'CRLF'],
    ['at the very end', 1, 4096, 'CRLF'],
  ] as const) {
    it(`finds a code planted ${where} (${window}-token window, ${endings})`, async () => {
      let text = plantLine(withNearMiss, NEEDLE, at);
      if (endings === 'CRLF') text = crlf(text);
      const run = await runExample(example('sniah.json'), sample(text, QUERY, '58-2096-13', truth), {
        contextWindow: window,
      });
      expectRight(run);
    });
  }

  it('finds it wrapped over two lines across a cut in hard-wrapped text, and misses it without the overlap', async () => {
    // Vite's bundled licences, wrapped at 80 columns: a cut falls at a line break, here inside the needle.
    const licences = corpusFile(CORPUS.viteLicences);
    const plan = example('sniah.json').plan;
    const [head, tail] = ['Side note from the release crew: the Otterbeck locker', NEEDLE.slice(54)];
    expect(`${head} ${tail}`).toBe(NEEDLE);
    const cut0 = cutsOf(withoutOverlap(plan), licences, QUERY, 4096)[3]![1];
    let text: string | undefined;
    // Inserting text moves the cuts: try line starts around the cut until one falls between the halves.
    for (let at = cut0 + 600; at > cut0 - 2000 && !text; at--) {
      if (licences[at - 1] !== '\n') continue;
      const candidate = `${licences.slice(0, at)}${head}\n${tail}\n${licences.slice(at)}`;
      const cuts = cutsOf(withoutOverlap(plan), candidate, QUERY, 4096).map((s) => s[1]);
      if (cuts.includes(at + head.length + 1)) text = candidate;
    }
    expect(text).toBeDefined();
    const s = sample(text!, QUERY, '58-2096-13', truth);
    expectRight(await runExample(example('sniah.json'), s, { contextWindow: 4096 }));
    const cutOff = await runExample(example('sniah.json'), s, {
      contextWindow: 4096,
      plan: withoutOverlap(plan),
    });
    expect(cutOff.score, explain(cutOff)).toBe(0);
  });

  it('finds it from questions worded in other ways, possessives and contractions included', async () => {
    const text = plantLine(withNearMiss, NEEDLE, 0.55);
    for (const query of [
      "What's the code for Otterbeck's lockers?",
      'Which digits open the lockers at the Otterbeck depot?',
      'Tell me the combination of the Otterbeck locker.',
    ]) {
      const run = await runExample(example('sniah.json'), sample(text, query, '58-2096-13', truth), {
        contextWindow: 4096,
      });
      expectRight(run);
    }
  });

  it('gives no answer when the code is not there, only the sentence that names the locker', async () => {
    const run = await runExample(example('sniah.json'), sample(withNearMiss, QUERY, null, truth), {
      contextWindow: 4096,
    });
    expectNoAnswer(run);
  });
});

describe('multi-document QA across files of four packages', () => {
  // Two hops: one file says where Mira Holt's test machine lives, another, files away, when that place
  // moved. Neither names the other's subject.
  const HOP1 =
    'Our nightly browser runs happen on a spare laptop that Mira Holt keeps at the Tallinn office.';
  const HOP2 = 'The Tallinn office moved out of the old harbour warehouse into Telliskivi in 2019.';
  const DISTRACTOR = 'Our Porto office moved in 2021, after the lease ran out.';
  const QUERY = 'In what year did the office where Mira Holt keeps the nightly test laptop relocate?';
  const truth = { facts: [{ evidence: [HOP1, HOP2], answer: '2019' }] };
  const files = [CORPUS.dompurify, CORPUS.zod, CORPUS.fastCheck];
  // The first hop inside DOMPurify's opening paragraph; the second in fast-check's README, files later.
  const base = plantAfter(concatenated(files), 'It simply does nothing.', HOP1);
  const documents = plantLine(plantLine(base, HOP2, 0.93), DISTRACTOR, 0.6);

  for (const [window, endings] of [
    [4096, 'LF'],
    [8192, 'CRLF'],
  ] as const) {
    it(`answers a two-hop question whose facts are in different files (${window}-token window, ${endings})`, async () => {
      const text = endings === 'CRLF' ? crlf(documents) : documents;
      expect(text.indexOf(HOP2) - text.indexOf(HOP1)).toBeGreaterThan(40_000);
      const run = await runExample(example('multidoc-qa.json'), sample(text, QUERY, '2019', truth), {
        contextWindow: window,
      });
      expectRight(run);
    });
  }

  it('gives no answer when the second hop is taken out', async () => {
    const text = withoutLines(documents, [HOP2]);
    const run = await runExample(example('multidoc-qa.json'), sample(text, QUERY, null, truth), {
      contextWindow: 4096,
    });
    expectNoAnswer(run);
  });
});

describe('code QA on @types/node declarations', () => {
  const dump = concatenated([CORPUS.nodeReadline, CORPUS.nodePath, CORPUS.nodeDns, CORPUS.nodeUrl]);
  const cases = [
    {
      name: 'path.isAbsolute',
      query:
        'Looking at these declarations, which one tells you whether a path means the same place whatever the current directory is?\n(A) normalize\n(B) relative\n(C) isAbsolute\n(D) dirname\nAnswer with the letter.',
      evidence: [
        'Determines whether {path} is an absolute path. An absolute path will always resolve to the same location, regardless of the working directory.',
        'isAbsolute(path: string): boolean;',
      ],
      answer: 'C',
    },
    {
      name: 'dns.lookupService',
      query:
        'Which of these gives back a host name and a service name for an address and a port?\n(A) resolve4\n(B) reverse\n(C) setServers\n(D) lookupService\nReply with one letter.',
      evidence: [
        "the operating system's underlying `getnameinfo` implementation.",
        'export function lookupService(',
      ],
      answer: 'D',
    },
  ];
  for (const c of cases)
    for (const [window, endings] of [
      [4096, 'LF'],
      [8192, 'CRLF'],
    ] as const) {
      it(`picks ${c.name} (${window}-token window, ${endings})`, async () => {
        for (const e of c.evidence) expect(dump).toContain(e);
        const text = endings === 'CRLF' ? crlf(dump) : dump;
        const run = await runExample(
          example('code-qa.json'),
          sample(text, c.query, c.answer, { facts: [{ evidence: c.evidence, answer: c.answer }] }),
          { contextWindow: window },
        );
        expectRight(run);
      });
    }

  it('finds it wherever the cuts fall around its documentation comment (readline.d.ts cut short above it)', async () => {
    // isAbsolute's description is seven lines above its signature, more than the 200 characters pieces
    // repeat: a cut between the two would leave neither piece able to answer. Shifting path.d.ts down line
    // by line moves the cuts across every line of the comment.
    const c = cases[0]!;
    const readline = corpusFile(CORPUS.nodeReadline).split('\n');
    const rest = `${corpusFile(CORPUS.nodePath)}\n${corpusFile(CORPUS.nodeDns)}`;
    const missed: number[] = [];
    for (let n = 60; n < 140; n++) {
      const text = `${readline.slice(0, n).join('\n')}\n${rest}`;
      const run = await runExample(
        example('code-qa.json'),
        sample(text, c.query, c.answer, { facts: [{ evidence: c.evidence, answer: c.answer }] }),
        { contextWindow: 4096 },
      );
      expect(run.outcome.totals.leafCalls).toBeLessThanOrEqual(run.predictedCalls);
      if (run.score !== 1) missed.push(n);
    }
    expect(missed).toEqual([]);
  });

  it('gives no answer when the function is not in the dump', async () => {
    const c = cases[0]!;
    const text = withoutLines(dump, c.evidence);
    const run = await runExample(
      example('code-qa.json'),
      sample(text, c.query, null, { facts: [{ evidence: c.evidence, answer: c.answer }] }),
      { contextWindow: 4096 },
    );
    expectNoAnswer(run);
  });
});

/**
 * Monaco's changelog entries, labelled by what the entry does, as its verb says (`- Fixes …`, `- added …`,
 * or after a contributor: `- [@user (Name)](…): Add …`); entries with other verbs have none of these labels.
 */
const ENTRY = /^- (?:\[@([^\]\s]+)[^\]]*\]\([^)]*\): )?([A-Za-z]+)/;
const VERB_LABEL: [RegExp, string][] = [
  [/^add(s|ed|ing)?$/i, 'addition'],
  [/^fix(es|ed|ing)?$/i, 'fix'],
  [/^remov(e|es|ed|ing)$/i, 'removal'],
];

function labelledChangelog(text: string): { records: TruthRecord[]; count: Record<string, number> } {
  const count: Record<string, number> = { addition: 0, fix: 0, removal: 0 };
  const seen = new Set<string>();
  const records: TruthRecord[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [, user, verb = ''] = line.match(ENTRY) ?? [];
    const label = VERB_LABEL.find(([re]) => re.test(verb))?.[1];
    if (!label) continue;
    count[label]!++;
    if (!seen.has(line)) records.push({ text: line, fields: user ? { label, user } : { label } });
    seen.add(line);
  }
  return { records, count };
}

describe('OOLONG on Monaco’s changelog, with our labels', () => {
  const changelog = corpusFile(CORPUS.monacoChangelog);
  const { records, count } = labelledChangelog(changelog);

  it('adds up the entries that fix or remove something', async () => {
    expect(count.fix).toBeGreaterThan(10);
    const query =
      "Taking the entries labelled 'fix' together with those labelled 'removal', how many are there?";
    const total = count.fix! + count.removal!;
    const truth: GroundTruth = {
      records,
      categories: ['fix', 'removal'],
      recordReply: 'counts',
      facts: [{ evidence: [`"fix":${count.fix}`, `"removal":${count.removal}`], answer: String(total) }],
    };
    for (const [window, text] of [
      [4096, changelog],
      [8192, crlf(changelog)],
    ] as const) {
      const run = await runExample(example('oolong.json'), sample(text, query, total, truth), {
        contextWindow: window,
      });
      expectRight(run);
    }
  });

  it('says which of two labels is more common', async () => {
    const query = "Does this changelog have more 'addition' entries or more 'fix' entries? Name the label.";
    const more = count.addition! > count.fix! ? 'addition' : 'fix';
    expect(count.addition).not.toBe(count.fix);
    const truth: GroundTruth = {
      records,
      categories: ['addition', 'fix'],
      recordReply: 'counts',
      facts: [{ evidence: [`"addition":${count.addition}`, `"fix":${count.fix}`], answer: more }],
    };
    const run = await runExample(example('oolong.json'), sample(changelog, query, more, truth), {
      contextWindow: 4096,
    });
    expectRight(run);
  });

  it('counts zero when every entry of the label is taken out', async () => {
    const query = "How many entries of this changelog would you label 'removal'?";
    const text = withoutLines(
      changelog,
      records.filter((r) => r.fields.label === 'removal').map((r) => r.text),
    );
    expect(labelledChangelog(text).count.removal).toBe(0);
    const truth: GroundTruth = {
      records,
      categories: ['removal'],
      recordReply: 'counts',
      facts: [{ evidence: ['"removal":0'], answer: '0' }],
    };
    const run = await runExample(example('oolong.json'), sample(text, query, 0, truth), {
      contextWindow: 4096,
    });
    expectRight(run);
  });
});

describe('OOLONG-Pairs on Monaco’s changelog: contributors and what their entries do', () => {
  const changelog = corpusFile(CORPUS.monacoChangelog);
  const { records } = labelledChangelog(changelog);
  const byUser = records.filter((r) => r.fields.user !== undefined);
  const QUERY =
    "Name every pair of two different contributors such that one has an entry labelled 'fix' and the other an entry labelled 'removal'.";
  const condition = { first: ['fix'], second: ['removal'] };
  const labelsOf = (recs: readonly TruthRecord[]) => {
    const map = new Map<string, Set<string>>();
    for (const r of recs)
      map.set(r.fields.user!, (map.get(r.fields.user!) ?? new Set()).add(r.fields.label!));
    return map;
  };
  const truth = (recs: readonly TruthRecord[]): GroundTruth => ({
    records: [...recs],
    categories: ['fix', 'removal'],
    recordReply: 'records',
    facts: [{ evidence: [QUERY], answer: condition }],
  });

  for (const [window, endings] of [
    [4096, 'LF'],
    [8192, 'CRLF'],
  ] as const)
    it(`pairs the contributors who fixed with those who removed (${window}-token window, ${endings})`, async () => {
      const expected = pairsMeeting(labelsOf(byUser), condition.first, condition.second);
      expect(expected.length).toBeGreaterThan(3);
      const text = endings === 'CRLF' ? crlf(changelog) : changelog;
      const run = await runExample(
        example('oolong-pairs.json'),
        sample(text, QUERY, expected, truth(byUser)),
        {
          contextWindow: window,
        },
      );
      expectRight(run);
    });

  it('finds no pairs when no contributor’s entry removes anything', async () => {
    const removals = byUser.filter((r) => r.fields.label === 'removal').map((r) => r.text);
    const text = withoutLines(changelog, removals);
    const run = await runExample(example('oolong-pairs.json'), sample(text, QUERY, [], truth(byUser)), {
      contextWindow: 4096,
    });
    expect(run.outcome.error, explain(run)).toBeUndefined();
    expect(run.score, explain(run)).toBe(1);
    expect(run.oversize).toEqual([]);
  });
});

/** The prose lines of a README (a sentence or more, not markup, code or a table), labelled. */
function proseRecords(text: string, label: string): TruthRecord[] {
  return text
    .split('\n')
    .filter((l) => l.length >= 60 && /^[A-Z][a-z]/.test(l) && !l.includes('|'))
    .map((l) => ({ text: l, fields: { label } }));
}

describe('classification of a README with other packages’ paragraphs mixed in', () => {
  const QUERY = 'Which subject does most of this text deal with: security, testing, validation or cooking?';
  const testing = corpusFile(CORPUS.fastCheck);
  const security = corpusFile(CORPUS.dompurify).split('## How do I use it?')[0]!;
  const validation = corpusFile(CORPUS.zod);
  // fast-check's README with DOMPurify's opening near its start and zod's README past its middle.
  const lines = testing.split('\n');
  const mixed = [
    ...lines.slice(0, 30),
    security,
    ...lines.slice(30, 120),
    validation,
    ...lines.slice(120),
  ].join('\n');
  const records = [
    ...proseRecords(testing, 'testing'),
    ...proseRecords(security, 'security'),
    ...proseRecords(validation, 'validation'),
  ];
  const truth: GroundTruth = {
    records,
    categories: ['security', 'testing', 'validation', 'cooking'],
    recordReply: 'majority',
  };

  for (const [window, endings] of [
    [4096, 'LF'],
    [8192, 'CRLF'],
  ] as const)
    it(`names the topic most pieces are about (${window}-token window, ${endings})`, async () => {
      const text = endings === 'CRLF' ? crlf(mixed) : mixed;
      const run = await runExample(example('classify.json'), sample(text, QUERY, 'testing', truth), {
        contextWindow: window,
      });
      expectRight(run);
    });

  it('gives no topic for a text about none of them', async () => {
    const text = corpusFile(CORPUS.monacoChangelog).slice(0, 30_000);
    const run = await runExample(example('classify.json'), sample(text, QUERY, null, truth), {
      contextWindow: 4096,
    });
    expectNoAnswer(run);
  });
});

describe('hierarchical summary of DOMPurify’s README', () => {
  const LEAD = 'DOMPurify is a DOM-only, super-fast, uber-tolerant XSS sanitizer for HTML, MathML and SVG.';
  const keySentences = [LEAD, 'DOMPurify sanitizes HTML and prevents XSS attacks.'];
  const readme = corpusFile(CORPUS.dompurify);

  for (const [window, endings] of [
    [4096, 'LF'],
    [8192, 'CRLF'],
  ] as const)
    it(`leads with the README’s lead sentence (${window}-token window, ${endings})`, async () => {
      const text = endings === 'CRLF' ? crlf(readme) : readme;
      const run = await runExample(
        example('summary.json'),
        {
          text,
          query: 'Summarize the document.',
          expected: { lead: LEAD, maxChars: SUMMARY_MAX_CHARS },
          truth: { keySentences },
        },
        { contextWindow: window },
      );
      expectRight(run);
    });
});
