import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { leaveJournal } from './persistence.ts';

/** TEST DOUBLE: the part of localStorage the journal uses, in memory. */
function memoryLocalStorage(full = false) {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (full) throw new DOMException('quota', 'QuotaExceededError');
      items.set(k, v);
    },
    removeItem: (k: string) => void items.delete(k),
    items,
  };
}

const journal = () => leaveJournal('j', z.object({ text: z.string() }));

describe('leaveJournal', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('gives back what was written as the page was left, with when', () => {
    vi.stubGlobal('localStorage', memoryLocalStorage());
    journal().write({ text: 'last edit' }, 1000);
    expect(journal().read()).toEqual({ at: 1000, value: { text: 'last edit' } });
  });

  it('is removed once storage holds the same or newer, and kept while it is newer', () => {
    vi.stubGlobal('localStorage', memoryLocalStorage());
    journal().write({ text: 'last edit' }, 1000);
    journal().clear(999);
    expect(journal().read()?.at).toBe(1000);
    journal().clear(1000);
    expect(journal().read()).toBeUndefined();
  });

  it('reads a damaged or foreign entry as nothing, and a full storage costs only the journal', () => {
    const storage = memoryLocalStorage();
    vi.stubGlobal('localStorage', storage);
    storage.items.set('j', '{"at": 5, "value": {"text": 42}}');
    expect(journal().read()).toBeUndefined();
    storage.items.set('j', 'not json');
    expect(journal().read()).toBeUndefined();
    vi.stubGlobal('localStorage', memoryLocalStorage(true));
    expect(() => journal().write({ text: 'x' }, 1)).not.toThrow();
    expect(journal().read()).toBeUndefined();
  });
});
