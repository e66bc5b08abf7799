import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../workers/lang/index.ts';
import { type OpenLinkDeps, openSharedLink } from './open-link.ts';

const frozen = readFileSync(
  new URL('../../workers/lang/format/fixtures/links/v1-needle.txt', import.meta.url),
  'utf8',
).trim();

/** Test double of the app: records what opening a link did. */
function fakeApp(empty = false) {
  const log = { opened: [] as Plan[], input: [] as string[], cleared: 0 };
  const deps: OpenLinkDeps = {
    current: () => ({ name: 'My own work', empty }),
    openDocument: (p) => void log.opened.push(p),
    setInput: (t) => void log.input.push(t),
    clearHash: () => void log.cleared++,
  };
  return { log, deps };
}

describe('openSharedLink', () => {
  it('opens the plan as a new document, names the one kept, and clears the hash', async () => {
    const { log, deps } = fakeApp();
    const r = await openSharedLink(frozen, deps);
    expect(r).toMatchObject({ kind: 'opened', previous: 'My own work', withInput: false });
    expect(r?.kind === 'opened' && r.name).toMatch(/Needle search/);
    expect(log.opened).toHaveLength(1);
    expect(log.cleared).toBe(1);
    expect(log.input).toEqual([]);
  });

  it('does not mention an empty document it replaced', async () => {
    const { deps } = fakeApp(true);
    expect(await openSharedLink(frozen, deps)).toMatchObject({ kind: 'opened', previous: null });
  });

  it('a broken link opens nothing, says why, and is cleared so a reload does not repeat it', async () => {
    const { log, deps } = fakeApp();
    const r = await openSharedLink(`${frozen.slice(0, 40)}!!`, deps);
    expect(r).toMatchObject({ kind: 'error', error: expect.stringMatching(/damaged/) });
    expect(log.opened).toEqual([]);
    expect(log.cleared).toBe(1);
  });

  it('leaves other hashes alone', async () => {
    const { log, deps } = fakeApp();
    expect(await openSharedLink('#section-2', deps)).toBeNull();
    expect(await openSharedLink('', deps)).toBeNull();
    expect(log.cleared).toBe(0);
  });
});
