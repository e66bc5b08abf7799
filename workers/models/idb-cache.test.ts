import { describe, expect, it } from 'vitest';
import type { LeafResponse } from '../lang/index.ts';
import { type CacheBackend, IdbLeafCache, type StoredAnswer } from './idb-cache.ts';

/** TEST DOUBLE: the store as a Map (Node has no IndexedDB); counts transactions. */
function mapBackend() {
  const map = new Map<string, unknown>();
  const stats = { writes: 0, failNext: false };
  const backend: CacheBackend = {
    async get(key) {
      return map.get(key);
    },
    async setMany(items: [string, StoredAnswer][]) {
      if (stats.failNext) throw new Error('QuotaExceededError');
      stats.writes++;
      for (const [k, v] of items) map.set(k, structuredClone(v));
    },
    async entries() {
      return [...map.entries()];
    },
    async delMany(keys) {
      for (const k of keys) map.delete(k);
    },
    async clear() {
      map.clear();
    },
  };
  return { map, stats, backend };
}

const answer = (text: string): LeafResponse => ({
  text,
  finishReason: 'stop',
  usage: { promptTokens: 10, completionTokens: 2 },
});

describe('IdbLeafCache', () => {
  it('survives a "reload": a new cache over the same store finds the answers', async () => {
    const { backend } = mapBackend();
    const first = new IdbLeafCache({ backend });
    first.set('leaf:a', answer('A'));
    first.set('leaf:b', answer('B'));
    await first.flush();
    const second = new IdbLeafCache({ backend });
    expect(await second.get('leaf:a')).toEqual(answer('A'));
    expect(await second.get('leaf:missing')).toBeUndefined();
  });

  it('writes many answers in one transaction', async () => {
    const { backend, stats } = mapBackend();
    const cache = new IdbLeafCache({ backend, flushMs: 10_000 });
    for (let i = 0; i < 500; i++) cache.set(`leaf:${i}`, answer(String(i)));
    expect(await cache.get('leaf:42')).toEqual(answer('42'));
    await cache.flush();
    expect(stats.writes).toBe(1);
  });

  it('treats a damaged entry as a miss', async () => {
    const { backend, map } = mapBackend();
    map.set('leaf:bad', { text: 42, finishReason: 'stop' });
    map.set('leaf:aborted', {
      text: 'half',
      finishReason: 'abort',
      usage: { promptTokens: 1, completionTokens: 1 },
    });
    const cache = new IdbLeafCache({ backend });
    expect(await cache.get('leaf:bad')).toBeUndefined();
    expect(await cache.get('leaf:aborted')).toBeUndefined();
  });

  it('drops the oldest answers past its bound', async () => {
    const { backend, map } = mapBackend();
    for (let i = 0; i < 10; i++) map.set(`old:${i}`, { ...answer('old'), t: i });
    const cache = new IdbLeafCache({ backend, maxEntries: 5 });
    cache.set('leaf:new', answer('new'));
    await cache.flush();
    expect(map.size).toBe(5);
    expect(map.has('leaf:new')).toBe(true);
    expect(map.has('old:0')).toBe(false);
    expect(map.has('old:9')).toBe(true);
  });

  it('goes on in memory when the store fails', async () => {
    const { backend, stats } = mapBackend();
    stats.failNext = true;
    const cache = new IdbLeafCache({ backend });
    cache.set('leaf:a', answer('A'));
    await cache.flush();
    expect(await cache.get('leaf:a')).toEqual(answer('A'));
  });
});
