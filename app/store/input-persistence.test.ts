import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inputText, setInputText, useInput } from './input.ts';
import {
  INPUT_KEY,
  INPUT_SAVE_LIMIT_CHARS,
  restoreInput,
  startInputPersistence,
  useInputSave,
} from './input-persistence.ts';
import { memoryStorage } from './testing/memory-storage.ts';

let stop: (() => Promise<void>) | null = null;
beforeEach(() => setInputText('', 'none'));
afterEach(async () => {
  await stop?.();
  stop = null;
});

describe('the input document across reloads', () => {
  it('is saved after a change and read back on the next start, with its name and expected answer', async () => {
    const storage = memoryStorage();
    stop = startInputPersistence(storage, { delay: 0 });
    setInputText('The secret code for Orion is AB12-CD34.', 'paste');
    useInput.setState({ expected: { generator: 'sniah', value: 'AB12-CD34' } });
    await stop();
    stop = null;
    expect(useInputSave.getState()).toEqual({ state: 'saved' });
    expect(storage.data.get(INPUT_KEY)).toMatchObject({ source: 'paste' });

    // A reload: the page starts with no input, then restores it.
    setInputText('', 'none');
    useInput.setState({ expected: null });
    expect(await restoreInput(storage)).toBe(true);
    expect(inputText()).toBe('The secret code for Orion is AB12-CD34.');
    expect(useInput.getState().meta).toMatchObject({ source: 'paste', chars: 39 });
    expect(useInput.getState().expected).toEqual({ generator: 'sniah', value: 'AB12-CD34' });
  });

  it('never lets a restore replace text set while it was being read', async () => {
    const storage = memoryStorage();
    await storage.set(INPUT_KEY, { text: 'old', source: 'paste', name: '', expected: null, savedAt: 1 });
    const restoring = restoreInput(storage);
    setInputText('from a share link', 'file', 'from the shared link');
    expect(await restoring).toBe(false);
    expect(inputText()).toBe('from a share link');
  });

  it('past the limit, says so at once and keeps no stale copy to come back after a reload', async () => {
    const storage = memoryStorage();
    stop = startInputPersistence(storage, { delay: 0, limit: 100 });
    setInputText('small', 'paste');
    await stop();
    expect(storage.data.has(INPUT_KEY)).toBe(true);
    stop = startInputPersistence(storage, { delay: 0, limit: 100 });
    setInputText('x'.repeat(101), 'paste');
    expect(useInputSave.getState()).toEqual({ state: 'too-large', chars: 101 });
    await stop();
    stop = null;
    expect(storage.data.has(INPUT_KEY)).toBe(false);
    expect(INPUT_SAVE_LIMIT_CHARS).toBe(20_000_000);
  });

  it('forgets a cleared input, and ignores a damaged saved value', async () => {
    const storage = memoryStorage();
    stop = startInputPersistence(storage, { delay: 0 });
    setInputText('text', 'paste');
    setInputText('', 'none');
    await stop();
    stop = null;
    expect(storage.data.has(INPUT_KEY)).toBe(false);
    await storage.set(INPUT_KEY, { text: 42 });
    expect(await restoreInput(storage)).toBe(false);
    expect(inputText()).toBe('');
  });

  it('reports a storage failure in words', async () => {
    const storage = memoryStorage();
    storage.set = async () => {
      throw new Error('QuotaExceededError');
    };
    stop = startInputPersistence(storage, { delay: 0 });
    setInputText('text', 'paste');
    await stop();
    stop = null;
    expect(useInputSave.getState()).toMatchObject({ state: 'failed', error: expect.stringMatching(/Quota/) });
  });

  it('reads back what it can of a damaged save: a bad expected answer costs only itself, a bad text everything', async () => {
    const storage = memoryStorage();
    await storage.set(INPUT_KEY, { text: 'Kept text.', source: 'file', name: 'a.txt', expected: 'garbage' });
    expect(await restoreInput(storage)).toBe(true);
    expect(inputText()).toBe('Kept text.');
    expect(useInput.getState().expected).toBeNull();

    setInputText('', 'none');
    await storage.set(INPUT_KEY, { text: 42, source: 'file', name: 'a.txt' });
    expect(await restoreInput(storage)).toBe(false);
    await storage.set(INPUT_KEY, { text: 'x', source: 'telepathy', name: 'a.txt' });
    expect(await restoreInput(storage)).toBe(false);
    expect(inputText()).toBe('');
  });
});
