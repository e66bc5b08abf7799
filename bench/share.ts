import { readdirSync, readFileSync } from 'node:fs';
import { deflateRaw, toBase64Url } from '../workers/lang/format/deflate.ts';
import { loadPlan } from '../workers/lang/format/load.ts';
import type { Plan } from '../workers/lang/format/plan.ts';
import { decodeShareLink, encodeShareLink, SHARE_LIMITS } from '../workers/lang/format/share.ts';
import { sampleGenerator } from '../workers/lang/samples/index.ts';
import type { Benchmark } from './benchmark.ts';
import { describeMachine } from './machine.ts';
import { type Summary, show, summarize } from './stats.ts';

/** The goal for every example plan. */
export const LINK_GOAL_CHARS = 1_500;

interface ExampleLink {
  file: string;
  /** The plan file as JSON without spaces, in characters. */
  planJsonChars: number;
  /** `#p=…` made the naive way: the whole plan (defaults, viewport, unrounded view) deflated. */
  naiveLinkChars: number;
  /** `#p=…` as the Share button makes it, without the input. */
  linkChars: number;
  /** With "include input" and an input of the sample generator cut to the 8 KB cap. */
  linkWithInputChars: number | null;
  encodeMs: Summary;
  decodeMs: Summary;
}

export interface ShareResult {
  goalChars: number;
  warnChars: number;
  maxInputBytes: number;
  examples: ExampleLink[];
}

async function naiveLink(plan: Plan): Promise<string> {
  return `#p=1.${toBase64Url(await deflateRaw(new TextEncoder().encode(JSON.stringify(plan))))}`;
}

/** The sample document cut to the largest size a link may carry. */
function sampleAtCap(plan: Plan): string | null {
  const gen = plan.input.generator && sampleGenerator(plan.input.generator.name);
  if (!gen) return null;
  const text = gen.generate({ tokens: 4_000, seed: 1 }).text;
  let cut = text.slice(0, SHARE_LIMITS.maxInputBytes);
  while (new TextEncoder().encode(cut).length > SHARE_LIMITS.maxInputBytes) cut = cut.slice(0, -16);
  return cut;
}

async function timed(f: () => Promise<unknown>, runs: number): Promise<Summary> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return summarize(ms);
}

/**
 * Share-link length of every example plan (goal: under 1,500 characters each), beside what a
 * naive encoding of the same plan would give and what the link weighs with an input at the 8 KB cap.
 */
export const shareBenchmark: Benchmark<ShareResult> = {
  name: 'share',
  title: 'Share link length',
  async run(ctx) {
    const dir = 'public/examples';
    const examples: ExampleLink[] = [];
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== 'index.json')
      .sort()) {
      const loaded = loadPlan(JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')));
      if (!loaded.ok) throw new Error(`${file} does not load: ${loaded.diagnostics[0]?.message}`);
      const plan = loaded.plan;
      const link = await encodeShareLink(plan, { includeInput: false });
      const back = await decodeShareLink(link);
      if (!back.ok) throw new Error(`${file}: its own link does not open: ${back.error}`);
      const input = sampleAtCap(plan);
      const withInput = input
        ? await encodeShareLink({ ...plan, input: { ...plan.input, text: input } }, { includeInput: true })
        : null;
      const row: ExampleLink = {
        file,
        planJsonChars: JSON.stringify(plan).length,
        naiveLinkChars: (await naiveLink(plan)).length,
        linkChars: link.length,
        linkWithInputChars: withInput?.length ?? null,
        encodeMs: await timed(() => encodeShareLink(plan, { includeInput: false }), ctx.options.runs * 4),
        decodeMs: await timed(() => decodeShareLink(link), ctx.options.runs * 4),
      };
      ctx.log(`${file}: ${row.linkChars} characters (naive ${row.naiveLinkChars})`);
      examples.push(row);
    }
    return {
      goalChars: LINK_GOAL_CHARS,
      warnChars: SHARE_LIMITS.warnChars,
      maxInputBytes: SHARE_LIMITS.maxInputBytes,
      examples,
    };
  },
  headline(r) {
    const lengths = r.examples.map((e) => e.linkChars);
    const worst = Math.max(...lengths);
    return `example links ${Math.min(...lengths).toLocaleString('en')}–${worst.toLocaleString('en')} characters (goal < ${r.goalChars.toLocaleString('en')}: ${worst < r.goalChars ? 'meets' : '**misses**'})`;
  },
  report(r, { machine }) {
    const n = (x: number) => x.toLocaleString('en');
    const worst = Math.max(...r.examples.map((e) => e.linkChars));
    return [
      `Goal: every example plan's link under **${n(r.goalChars)} characters**. Longest measured: **${n(worst)}**` +
        ` (${worst < r.goalChars ? 'goal met' : 'goal missed'}). Lengths count the \`#p=…\` part; the full URL adds`,
      `the page's address (about 40 characters on a typical host). The Share dialog warns above ${n(r.warnChars)}.`,
      '"Naive" is the same plan deflated whole (defaults, viewport, sub-pixel positions);',
      `"with input" adds the example's sample document cut to the ${n(r.maxInputBytes / 1024)} KB cap.`,
      `Times: median (min–max) of repeated encode/decode in Node (${describeMachine(machine)}).`,
      '',
      '| example | plan JSON | naive link | link | goal | with 8 KB input | encode | decode |',
      '|---|---:|---:|---:|:---:|---:|---:|---:|',
      ...r.examples.map(
        (e) =>
          `| ${e.file} | ${n(e.planJsonChars)} | ${n(e.naiveLinkChars)} | **${n(e.linkChars)}** | ${
            e.linkChars < r.goalChars ? '✓' : '✗'
          } | ${e.linkWithInputChars === null ? '—' : n(e.linkWithInputChars)} | ${show(e.encodeMs, 'ms', 2)} | ${show(e.decodeMs, 'ms', 2)} |`,
      ),
    ];
  },
};
