import { describe, expect, it } from 'vitest';
import type { Benchmark, ResultFile } from './benchmark.ts';
import { anchor, renderReport } from './render-report.ts';

const machine = {
  cpus: 'Test CPU',
  cores: 2,
  memoryGiB: 4,
  node: 'v20',
  load1: 1,
  date: '2026-11-23T12:00:00.000Z',
};

function bench(name: string, extra: Partial<Benchmark<{ x: number }>> = {}): Benchmark<never> {
  const b: Benchmark<{ x: number }> = {
    name,
    title: `Title of ${name}`,
    run: async () => ({ x: 1 }),
    report: (r) => [`${name} measured ${r.x}`],
    headline: (r) => `${name} is ${r.x}`,
    ...extra,
  };
  return b as Benchmark<never>;
}

const stored = (name: string, x: number): [string, ResultFile<never>] => [
  name,
  { benchmark: name, title: name, machine, seconds: 1, result: { x } as never },
];

describe('renderReport', () => {
  it('writes a summary of headlines and a section per benchmark, in order', () => {
    const md = renderReport(
      [bench('alpha'), bench('beta')],
      new Map([stored('alpha', 3), stored('beta', 4)]),
    );
    expect(md).toContain('| [Title of alpha](#title-of-alpha) | alpha is 3 | 2026-11-23 |');
    expect(md.indexOf('## Title of alpha')).toBeLessThan(md.indexOf('## Title of beta'));
    expect(md).toContain('beta measured 4');
    expect(md).toContain('Names: `alpha`, `beta`.');
  });
  it('says how to measure a benchmark that has no results, and leaves it out of the summary', () => {
    const md = renderReport([bench('alpha'), bench('beta')], new Map([stored('alpha', 3)]));
    expect(md).toContain('_Not measured yet: `npm run bench -- --only beta`._');
    expect(md).not.toContain('beta is');
  });
  it('keeps going when one section cannot be written from old results', () => {
    const broken = bench('alpha', {
      report: () => {
        throw new Error('no field x');
      },
      headline: () => {
        throw new Error('no field x');
      },
    });
    const md = renderReport([broken, bench('beta')], new Map([stored('alpha', 3), stored('beta', 4)]));
    expect(md).toContain('could not be read (no field x)');
    expect(md).toContain('beta measured 4');
    expect(md).toContain('| [Title of beta](#title-of-beta) | beta is 4 |');
  });
});

describe('anchor', () => {
  it('follows GitHub heading anchors', () => {
    expect(anchor('Task families: S-NIAH, OOLONG, OOLONG-Pairs')).toBe(
      'task-families-s-niah-oolong-oolong-pairs',
    );
    expect(anchor('First screen load time (app against a blank page)')).toBe(
      'first-screen-load-time-app-against-a-blank-page',
    );
  });
});
