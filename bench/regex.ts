import { compileSafeRegex, REGEX_LIMITS, regexProblem } from '../workers/lang/nodes/safe-regex.ts';
import { seededRandom } from '../workers/lang/samples/random.ts';
import type { Benchmark } from './benchmark.ts';
import { describeMachine } from './machine.ts';
import { type Summary, show, summarize } from './stats.ts';

/** The issue's goal: every pattern Match accepts runs under a second per MB of text. */
export const REGEX_GOAL_S_PER_MB = 1;

interface PatternRun {
  pattern: string;
  why: string;
  /** Work counted by the engine (states visited + characters tested) per character of text. */
  workPerChar: number;
  /** CPU time of the process per MB of text, in seconds: what the engine costs, whatever else runs. */
  cpuSPerMb: Summary;
  /** Wall time per MB, in seconds: what a user waits on this (shared, noisy) machine. */
  wallSPerMb: Summary;
}

export interface RegexResult {
  goalSPerMb: number;
  maxStates: number;
  textChars: number;
  patterns: PatternRun[];
}

/** The largest `n` for which `family(n)` is still accepted: the worst case of that shape. */
function largestAccepted(family: (n: number) => string): string {
  let n = 1;
  while (n < 10_000 && regexProblem(family(n + 1)) === null) n++;
  return family(n);
}

/**
 * Seconds per MB of the Match node's regular-expression engine (workers/lang/nodes/safe-regex.ts) on
 * the worst patterns it accepts: each shape at the largest size the state limit lets through, over a
 * text that keeps every state alive at every character; and, for scale, patterns people write.
 */
export const regexBenchmark: Benchmark<RegexResult> = {
  name: 'regex',
  title: 'Match: regular expressions, seconds per MB',
  timeLimitS: 240,
  async run(ctx) {
    const random = seededRandom(11);
    const chars = 1_000_000;
    // a, b, spaces: every state of the shapes below stays alive; no x, z or q, so none ever matches.
    const text = Array.from({ length: chars }, () => 'ab a'[random.int(4)]).join('');
    const cases: [string, string][] = [
      [largestAccepted((n) => `(?:[ab]?){${n}}x`), 'optional class, repeated (issue: 37 s/MB at 600)'],
      [largestAccepted((n) => `(?:.?){${n}}z`), 'optional any, repeated (issue: 54 s/MB at 900)'],
      [largestAccepted((n) => `(?:a?){${n}}a{${n}}`), 'optional then required (issue: at 500)'],
      [largestAccepted((n) => `(?:\\b.?){${n}}z`), 'word boundaries at every step'],
      [largestAccepted((n) => `${'a*'.repeat(n)}x`), 'stars in a row'],
      [
        largestAccepted((n) => `(?:${Array.from({ length: n }, (_, i) => 'ab'[i % 2]).join('|')})+x`),
        'wide alternation',
      ],
      ['secret (code|key)\\s*[:=]', 'typical: a needle'],
      ['\\b\\d{4}-\\d{2}-\\d{2}\\b', 'typical: a date'],
      ['(a+)+$', 'catastrophic for a backtracking engine'],
    ];
    const patterns: PatternRun[] = [];
    for (const [pattern, why] of cases) {
      const re = compileSafeRegex(pattern, { caseSensitive: true });
      const { work } = re.testWithWork(text);
      const cpu: number[] = [];
      const wall: number[] = [];
      for (let i = 0; i < ctx.options.runs; i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        re.test(text);
        const c = process.cpuUsage(c0);
        wall.push((performance.now() - t0) / 1000 / (chars / 1e6));
        cpu.push((c.user + c.system) / 1e6 / (chars / 1e6));
      }
      const row: PatternRun = {
        pattern,
        why,
        workPerChar: work / chars,
        cpuSPerMb: summarize(cpu),
        wallSPerMb: summarize(wall),
      };
      ctx.log(
        `${pattern.slice(0, 40)}: ${show(row.cpuSPerMb, 's', 2)} CPU per MB, ${row.workPerChar.toFixed(0)} work/char`,
      );
      patterns.push(row);
    }
    return { goalSPerMb: REGEX_GOAL_S_PER_MB, maxStates: REGEX_LIMITS.maxStates, textChars: chars, patterns };
  },
  headline(r) {
    const worst = Math.max(...r.patterns.map((p) => p.cpuSPerMb.median));
    return `worst accepted pattern ${worst.toFixed(2)} s CPU per MB (goal < ${r.goalSPerMb}: ${worst < r.goalSPerMb ? 'meets' : '**misses**'})`;
  },
  report(r, { machine }) {
    const worst = Math.max(...r.patterns.map((p) => p.cpuSPerMb.median));
    const code = (p: string) => `\`${p.length > 48 ? `${p.slice(0, 45)}…` : p}\``.replace(/\|/g, '\\|');
    return [
      `Goal: any pattern the Match node accepts runs under **${r.goalSPerMb} s per MB**. Worst measured: **${worst.toFixed(2)} s**`,
      `(${worst < r.goalSPerMb ? 'goal met' : 'goal missed'}). The engine simulates all states at once, so its work per character is bounded`,
      `by the program's size (at most ${r.maxStates} states, each visited once and tested once per character);`,
      'each shape below is measured at the largest size the limit accepts, over 1 MB of text that keeps every state',
      'alive. CPU seconds are what the engine costs; wall seconds depend on what else the machine runs.',
      `Median (min–max) of ${r.patterns[0]?.cpuSPerMb.n ?? 0} runs in Node (${describeMachine(machine)}).`,
      '',
      '| pattern | shape | work / char | CPU s per MB | wall s per MB |',
      '|---|---|---:|---:|---:|',
      ...r.patterns.map(
        (p) =>
          `| ${code(p.pattern)} | ${p.why} | ${p.workPerChar.toFixed(0)} | ${show(p.cpuSPerMb, '', 2)} | ${show(p.wallSPerMb, '', 2)} |`,
      ),
    ];
  },
};
