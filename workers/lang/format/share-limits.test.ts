/**
 * The share decoder against links made to hurt: lengths are checked before any regular expression sees
 * the link (the trailing-punctuation rule was quadratic on a long run), and the 8 KB input limit holds
 * when a link is opened, not only when one is made.
 */
import { describe, expect, it, vi } from 'vitest';
import { deflateRaw, toBase64Url } from './deflate.ts';
import { PLAN_VERSION } from './plan.ts';
import { decodeShareLink, SHARE_LIMITS } from './share.ts';

const plan = {
  name: 'Tiny',
  nodes: [
    { id: 'input', kind: 'Input' },
    { id: 'out', kind: 'Output' },
  ],
  wires: [{ id: 'w1', from: { node: 'input', port: 'out' }, to: { node: 'out', port: 'in' } }],
};

async function linkOf(doc: unknown): Promise<string> {
  return `#p=${PLAN_VERSION}.${toBase64Url(await deflateRaw(new TextEncoder().encode(JSON.stringify(doc))))}`;
}

describe('share links: lengths before patterns, limits on opening', () => {
  it('a link of 10 MB is refused by its length, before any regular expression runs', async () => {
    const hash = `#p=1.A${')'.repeat(10_000_000)}x`;
    // String.prototype.replace/match/split with a pattern all go through RegExp.prototype.exec.
    const test = vi.spyOn(RegExp.prototype, 'exec');
    const r = await decodeShareLink(hash);
    const calls = test.mock.calls.length;
    test.mockRestore();
    expect(calls).toBe(0);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/too long/) });
  });

  it('runs of closing punctuation, at the end or in the middle, are read in one pass', async () => {
    const good = await linkOf(plan);
    expect(await decodeShareLink(`${good}${'.)»'.repeat(1000)}`)).toMatchObject({ ok: true });
    // 30,000 punctuation marks then a letter: the old pattern took seconds here; it is now a damaged link.
    const r = await decodeShareLink(`#p=1.AAAA${'.'.repeat(30_000)}x`);
    expect(r.ok).toBe(false);
  });

  it('a link carrying more than 8 KB of input is refused on opening, with the sizes', async () => {
    const text = 'a'.repeat(SHARE_LIMITS.maxInputBytes + 1);
    const r = await decodeShareLink(await linkOf({ ...plan, input: { text } }));
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/8,193 bytes.*at most 8,192/) });
    const ok = await decodeShareLink(await linkOf({ ...plan, input: { text: 'é'.repeat(4096) } }));
    expect(ok.ok).toBe(true);
  });

  it('a __proto__ key is refused in words that read as a sentence', async () => {
    const link = `#p=1.${toBase64Url(await deflateRaw(new TextEncoder().encode('{"name":"x","nodes":[],"wires":[],"__proto__":{"a":1}}')))}`;
    const r = await decodeShareLink(link);
    expect(r.ok ? '' : r.error).toMatch(/^The link's plan is a JSON document with a "__proto__" key/);
    expect(r.ok ? '' : r.error).not.toMatch(/is contains/);
  });
});
