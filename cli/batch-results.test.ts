import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openResults, readPreviousResults } from './batch-results.ts';

describe('the results file of a batch', () => {
  it('skips what is done, cuts a line a kill left half-written, and appends whole lines after it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fixpoint-results-')), 'r.jsonl');
    writeFileSync(
      file,
      [
        '{"id":"a","ok":true,"result":"é"}',
        '{"id":"b","ok":false}',
        'not json',
        '{"no":"id"}',
        '{"id":"b","ok":true}',
        '{"id":"c","ok":false}',
        '{"id":"d","ok":tr',
      ].join('\n'),
    );
    const previous = readPreviousResults(file);
    expect([...previous.done].sort()).toEqual(['a', 'b']);
    expect([...previous.failed]).toEqual(['c']);
    expect(previous.ignored).toBe(3);
    const results = openResults(file);
    results.append({ id: 'd', ok: true });
    results.close();
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('{"id":"c","ok":false}\n{"id":"d","ok":true}\n')).toBe(true);
    expect(readPreviousResults(file).done.has('d')).toBe(true);
  });

  it('reads an absent file as empty', () => {
    const previous = readPreviousResults(join(tmpdir(), 'fixpoint-no-such-results.jsonl'));
    expect(previous.done.size + previous.failed.size + previous.ignored).toBe(0);
  });
});
