/**
 * A document saved with CRLF or CR line endings, or as UTF-16, runs as its UTF-8 original does: the same
 * estimate from `fixpoint plan`, the same estimate and answer from `fixpoint run` (OOLONG counts,
 * multi-document QA pieces cut at line breaks). Before, CR-only OOLONG counted wrong with exit 0, CRLF QA found no records
 * and UTF-16 was read as UTF-8. And `plan` and `run` assume one default window.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_MODEL, type HostileServer, startHostileServer } from '../test/hostile-server/server.ts';
import { type ScriptedServer, startScriptedServer } from '../test/scripted-server/server.ts';
import { sampleGenerator } from '../workers/lang/index.ts';
import { planCommand } from './plan.ts';
import { runCommand } from './run.ts';
import { stringIo } from './string-io.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fixpoint-enc-'));

const savings = {
  lf: (t: string) => Buffer.from(t, 'utf8'),
  crlf: (t: string) => Buffer.from(t.replace(/\n/g, '\r\n'), 'utf8'),
  cr: (t: string) => Buffer.from(t.replace(/\n/g, '\r'), 'utf8'),
  'utf16le-bom-crlf': (t: string) =>
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t.replace(/\n/g, '\r\n'), 'utf16le')]),
};

let scripted: ScriptedServer;
let hostile: HostileServer;
beforeAll(async () => {
  scripted = await startScriptedServer();
  hostile = await startHostileServer();
});
afterAll(async () => {
  await scripted.close();
  await hostile.close();
});

describe('documents saved in other encodings and line endings', () => {
  for (const example of ['oolong', 'multidoc-qa'] as const) {
    it(`${example}: every saving gives the original's estimate and answer`, async () => {
      const gen = sampleGenerator(example)!;
      // The original is saved with LF line endings; each saving below changes them (and the encoding).
      const sample = gen.generate({ tokens: 12_000, seed: 5, layout: { newline: '\n' } });
      // The scripted server answers from the sample's ground truth, handed to it out of band.
      scripted.configure({ truth: [sample.truth] });
      const plan = join(root, `public/examples/${example}.json`);
      let leafCalls: number | undefined;
      let planned: { n: number; kStar: number } | undefined;
      let ran: { n: number; kStar: number } | undefined;
      for (const [name, save] of Object.entries(savings)) {
        const input = join(dir, `${example}-${name}.txt`);
        writeFileSync(input, save(sample.text));
        const p = stringIo();
        expect(planCommand(plan, { input, contextWindow: 8192, json: true }, p.io)).toBe(0);
        const estimate = JSON.parse(p.out.stdout) as { n: number; kStar: number };
        const r = stringIo();
        const code = await runCommand(
          plan,
          {
            input,
            query: sample.query,
            baseUrl: scripted.url,
            model: 'fixpoint-scripted',
            contextWindow: 8192,
            json: true,
          },
          r.io,
        );
        expect(r.out.stderr).not.toMatch(/fixpoint run:/);
        expect(code, name).toBe(0);
        const out = JSON.parse(r.out.stdout) as {
          result: unknown;
          estimate: { n: number; kStar: number };
          totals: { leafCalls: number };
        };
        expect(gen.isCorrect(out.result, sample.expected), `${example} saved as ${name}`).toBe(true);
        // The same pieces: a file whose lines end in CR is not one long line (nor one overfull leaf).
        leafCalls ??= out.totals.leafCalls;
        expect(out.totals.leafCalls, `${example} saved as ${name}`).toBe(leafCalls);
        // The original's estimates: `plan`'s (the conservative count) and `run`'s (which counts as the
        // server does, through its /tokenize: the two differ by that calibration, not by the saving).
        planned ??= { n: estimate.n, kStar: estimate.kStar };
        ran ??= { n: out.estimate.n, kStar: out.estimate.kStar };
        expect({ n: estimate.n, kStar: estimate.kStar }, `${example} saved as ${name}`).toEqual(planned);
        expect({ n: out.estimate.n, kStar: out.estimate.kStar }, `${example} saved as ${name}`).toEqual(ran);
      }
    }, 60_000);
  }

  it('a Latin-1 input is refused with what to do, exit 2, before any model call', async () => {
    const input = join(dir, 'latin1.txt');
    writeFileSync(input, Buffer.from('caf\xe9 au lait', 'latin1'));
    const r = stringIo();
    const code = await runCommand(
      join(root, 'public/examples/sniah.json'),
      { input, baseUrl: hostile.url, model: HOSTILE_MODEL },
      r.io,
    );
    expect(code).toBe(2);
    expect(r.out.stderr).toMatch(/is not UTF-8 text .* save it as UTF-8/);
    expect(hostile.requests).toHaveLength(0);
  });
});

describe('one default window', () => {
  it('plan and run, with no --context-window and a server that reports none, size the same split', async () => {
    const sample = sampleGenerator('sniah')!.generate({ tokens: 30_000, seed: 2 });
    const input = join(dir, 'long.txt');
    writeFileSync(input, sample.text);
    const plan = join(root, 'public/examples/sniah.json');
    const p = stringIo();
    expect(planCommand(plan, { input, json: true }, p.io)).toBe(0);
    const planned = JSON.parse(p.out.stdout) as { K: number; kStar: number };
    hostile.mode = 'ok';
    const r = stringIo();
    await runCommand(plan, { input, baseUrl: hostile.url, model: HOSTILE_MODEL, json: true }, r.io);
    const ran = JSON.parse(r.out.stdout) as { estimate: { K: number; kStar: number } };
    expect({ K: ran.estimate.K, kStar: ran.estimate.kStar }).toEqual({ K: planned.K, kStar: planned.kStar });
  }, 60_000);
});
