import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContentHasher, canonicalJson, contentHash } from './hash.ts';

describe('content hash', () => {
  it('is stable: the same text always gives the same 28 hex digits (caches outlive releases)', () => {
    expect(contentHash('')).toBe('10c329583afc3b0dc0cfa5aed872');
    expect(contentHash('abc')).toBe('0a1858130420181b3d7c8769982d');
    expect(contentHash('The secret code for Orion is K7Q-2941.')).toBe(
      contentHash('The secret code for Orion is K7Q-2941.'),
    );
  });

  it('separates texts that differ anywhere, including by length or one unit at the end', () => {
    const seen = new Map<string, string>();
    for (let i = 0; i < 50_000; i++) {
      const text = `chunk ${i} ${'x'.repeat(i % 7)}`;
      const h = contentHash(text);
      expect(seen.get(h) ?? text).toBe(text);
      seen.set(h, text);
    }
    expect(contentHash('a')).not.toBe(contentHash('a\u0000'));
    expect(contentHash('ab')).not.toBe(contentHash('ba'));
  });

  it('fed in one part equals contentHash; different texts differ (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(new ContentHasher().update(a).digest()).toBe(contentHash(a));
        if (a !== b) expect(contentHash(a)).not.toBe(contentHash(b));
      }),
    );
  });

  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});
