/**
 * The input document survives a reload: it is written to the browser's IndexedDB (the autosave's store,
 * key `input`) shortly after each change, and read back when the page starts. The text goes from the
 * module-level buffer in `input.ts` straight to storage, never through React state.
 *
 * There is a limit: past `INPUT_SAVE_LIMIT_CHARS` the document is not written (it would cost the browser's
 * storage quota and a noticeable pause to copy), and the Input tab says it will not survive a reload.
 */

import { z } from 'zod';
import { create } from 'zustand';
import { inputText, setInputText, takeTypedInput, useInput } from './input.ts';
import { type KeyValueStorage, leaveJournal, onPageLeave, validStored } from './persistence.ts';

/** The largest document kept across reloads: 20 million characters (a 20 MB text file, give or take). */
export const INPUT_SAVE_LIMIT_CHARS = 20_000_000;
export const INPUT_KEY = 'input';
export const INPUT_SAVE_DELAY_MS = 400;

const savedInputSchema = z.object({
  text: z.string().min(1),
  source: z.enum(['paste', 'file', 'sample']),
  name: z.string(),
  // A damaged expected answer costs only itself, never the document.
  expected: z
    .object({ generator: z.string(), value: z.unknown() })
    .nullable()
    .catch(null)
    .transform((e) => (e === null ? null : { generator: e.generator, value: e.value as unknown })),
  savedAt: z.number().catch(0),
});

/**
 * The input as the page was left, when its write may not have finished (see leaveJournal): only documents up
 * to a million characters, which localStorage holds (about 2 MB of its 5).
 */
const INPUT_JOURNAL_LIMIT_CHARS = 1_000_000;
const inputJournal = leaveJournal('fixpoint.leave.input.v1', savedInputSchema);

export type InputSaveState =
  | { state: 'none' }
  | { state: 'pending' | 'saved' }
  | { state: 'too-large'; chars: number }
  | { state: 'failed'; error: string };

export const useInputSave = create<InputSaveState>()(() => ({ state: 'none' }));

/**
 * Reads the saved document back. It is applied only if nothing set the input since the page loaded (a
 * share link carrying its own input, a sample being made), so it never replaces newer text.
 */
export async function restoreInput(storage: KeyValueStorage): Promise<boolean> {
  const versionAtStart = useInput.getState().meta.version;
  let raw: unknown;
  try {
    raw = await storage.get(INPUT_KEY);
  } catch {
    return false;
  }
  let saved = validStored(raw, savedInputSchema);
  // Text the page was left with, newer than the last write that finished: it wins, and is written now (the
  // journal is gone after this start, and nothing else would write it until the next edit).
  const left = inputJournal.read();
  if (left && left.at > (saved?.savedAt ?? 0)) {
    saved = left.value;
    await storage.set(INPUT_KEY, { ...saved, savedAt: left.at }).catch(() => undefined);
    inputJournal.clear(left.at);
  }
  if (!saved || useInput.getState().meta.version !== versionAtStart) return false;
  setInputText(saved.text, saved.source, saved.name);
  if (saved.expected) useInput.setState({ expected: saved.expected });
  useInputSave.setState({ state: 'saved' }, true);
  return true;
}

/** Saves the input after each change (debounced). Returns a function that stops and writes what is pending. */
export function startInputPersistence(
  storage: KeyValueStorage,
  options: { delay?: number; limit?: number } = {},
): () => Promise<void> {
  const delay = options.delay ?? INPUT_SAVE_DELAY_MS;
  const limit = options.limit ?? INPUT_SAVE_LIMIT_CHARS;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();
  /** The newest write asked for: a queued older one that has not started is skipped. */
  let newest = 0;

  /** `now`: start at once instead of after the writes before it (the page is being left: later is never). */
  const write = (now = false) => {
    timer = null;
    const { meta, expected } = useInput.getState();
    const text = inputText();
    const n = ++newest;
    const task = async () => {
      if (n !== newest) return;
      try {
        if (text.length === 0) {
          await storage.del(INPUT_KEY);
          useInputSave.setState({ state: 'none' }, true);
        } else if (text.length > limit) {
          // An older, smaller document must not come back after a reload in place of this one.
          await storage.del(INPUT_KEY);
          useInputSave.setState({ state: 'too-large', chars: text.length }, true);
        } else {
          const saved = {
            text,
            source: meta.source,
            name: meta.name,
            expected,
            savedAt: Date.now(),
          };
          await storage.set(INPUT_KEY, saved);
          if (n === newest) inputJournal.clear(saved.savedAt);
          if (timer === null) useInputSave.setState({ state: 'saved' }, true);
        }
      } catch (e) {
        useInputSave.setState({ state: 'failed', error: String(e) }, true);
      }
    };
    writing = now ? Promise.all([writing, task()]).then(() => {}) : writing.then(task);
  };

  const unsubscribe = useInput.subscribe((s, prev) => {
    if (s.meta.version === prev.meta.version && s.expected === prev.expected) return;
    if (timer) clearTimeout(timer);
    if (s.meta.chars > limit) {
      // Said at once, not after the delay: the user should know before they reload.
      useInputSave.setState({ state: 'too-large', chars: s.meta.chars }, true);
    } else if (s.meta.chars > 0) useInputSave.setState({ state: 'pending' }, true);
    timer = setTimeout(() => write(), delay);
  });

  const writePending = (now: boolean) => {
    // Text still in the text area's typing pause is taken in first (it then sets `timer`).
    takeTypedInput();
    if (timer) {
      clearTimeout(timer);
      write(now);
      return true;
    }
    return false;
  };
  const leave = onPageLeave(() => {
    if (!writePending(true)) return;
    const text = inputText();
    const { meta, expected } = useInput.getState();
    if (text.length === 0 || text.length > INPUT_JOURNAL_LIMIT_CHARS || meta.source === 'none') {
      inputJournal.clear();
      return;
    }
    const at = Date.now();
    inputJournal.write({ text, source: meta.source, name: meta.name, expected, savedAt: at }, at);
  });

  return async () => {
    unsubscribe();
    leave();
    writePending(false);
    await writing;
  };
}
