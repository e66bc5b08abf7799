import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeShareLink, encodeShareLink, type Plan } from '../../workers/lang/index.ts';
import type { PreparedInput } from '../documents/plan-input.ts';
import { type OpenLinkDeps, openSharedLink } from './open-link.ts';

const frozen = readFileSync(
  new URL('../../workers/lang/format/fixtures/links/v1-needle.txt', import.meta.url),
  'utf8',
).trim();

/** Test double of the app: records what opening a link did. */
function fakeApp(empty = false, prepared: PreparedInput = 'none') {
  const log = { opened: [] as Plan[], input: [] as string[], prepared: [] as Plan[], cleared: 0 };
  const deps: OpenLinkDeps = {
    current: () => ({ name: 'My own work', empty }),
    openDocument: (p) => void log.opened.push(p),
    setInput: (t) => void log.input.push(t),
    prepareInput: (p) => {
      log.prepared.push(p);
      return p.input.generator ? prepared : 'none';
    },
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

  it('makes the plan’s own sample the input when the link carries no input (a new browser had none)', async () => {
    const decoded = await decodeShareLink(frozen);
    if (!decoded.ok) throw new Error(decoded.error);
    const withSample: Plan = {
      ...decoded.plan,
      input: { generator: { name: 'sniah', params: { tokens: 4000, seed: 3 } } },
    };
    const link = await encodeShareLink(withSample, { includeInput: false });
    const { log, deps } = fakeApp(false, 'sample');
    expect(await openSharedLink(link, deps)).toMatchObject({
      kind: 'opened',
      input: 'sample',
      withInput: false,
    });
    expect(log.prepared.map((p) => p.input.generator?.name)).toEqual(['sniah']);
    // The user's own document stays the input, and the notice can say so.
    const own = fakeApp(false, 'kept');
    expect(await openSharedLink(link, own.deps)).toMatchObject({ input: 'kept' });
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
