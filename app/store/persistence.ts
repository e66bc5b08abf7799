/**
 * What the page keeps across reloads, in one place (docs/architecture.md, "What the page keeps").
 * Documents, the recent list and the input document go to the browser's IndexedDB through idb-keyval (one
 * store: larger and sturdier than localStorage, and written off the main thread); small view settings that
 * the first render needs go to localStorage. Whatever is read back is checked with a zod schema: storage is
 * written by other tabs and by older versions of Fixpoint, so it is input nobody shaped for this code.
 */
import { createStore, del, get, promisifyRequest } from 'idb-keyval';
import type { z } from 'zod';

export interface KeyValueStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
}

let shared: KeyValueStorage | null = null;

/** One store for the whole app: `fixpoint` database, `documents` object store. */
export function browserStorage(): KeyValueStorage {
  if (shared) return shared;
  const store = createStore('fixpoint', 'documents');
  shared = {
    get: (key) => get(key, store),
    // Committed at once rather than when the browser gets round to it: a write made as the page is left
    // (onPageLeave) was otherwise aborted with the page, and a reload lost the last edits.
    set: (key, value) =>
      store('readwrite', (s) => {
        s.put(value, key);
        s.transaction.commit?.();
        return promisifyRequest(s.transaction);
      }),
    del: (key) => del(key, store),
  };
  return shared;
}

/** A stored value read back through its schema: undefined when it is missing or not what the schema says. */
export function validStored<T>(raw: unknown, schema: z.ZodType<T>): T | undefined {
  const r = schema.safeParse(raw);
  return r.success ? r.data : undefined;
}

/**
 * A small setting kept in localStorage as JSON, read synchronously (the first render needs it). A damaged
 * or foreign entry reads as `fallback`; storage that is full or blocked only costs the remembering.
 */
export function localSetting<T>(key: string, schema: z.ZodType<T>) {
  return {
    read(fallback: T): T {
      try {
        const raw = localStorage.getItem(key);
        return (raw === null ? undefined : validStored(JSON.parse(raw), schema)) ?? fallback;
      } catch {
        return fallback;
      }
    },
    write(value: T): void {
      try {
        localStorage.setItem(key, JSON.stringify(value));
      } catch {
        // Full or blocked: the page works on without remembering.
      }
    },
  };
}

/**
 * Runs `write` when the page is being left (a reload, a closed tab, a switch away on a phone): edits still
 * inside a save's debounce were lost when the page went before the timer fired. Returns the unsubscribe.
 * Outside a browser (unit tests in Node) there is no page to leave.
 */
export function onPageLeave(write: () => void): () => void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return () => {};
  const hidden = () => {
    if (document.visibilityState === 'hidden') write();
  };
  window.addEventListener('pagehide', write);
  document.addEventListener('visibilitychange', hidden);
  return () => {
    window.removeEventListener('pagehide', write);
    document.removeEventListener('visibilitychange', hidden);
  };
}

/**
 * The last edits, written synchronously to localStorage as the page is left. An IndexedDB write started
 * then may die with the page (it did, one reload in a few, under load); localStorage.setItem has finished
 * when it returns. Read back at the next start, used only if it is newer than what IndexedDB holds, and
 * removed once IndexedDB has the same or newer (`clear`). Values are checked with their schema on the way in.
 */
export function leaveJournal<T>(key: string, schema: z.ZodType<T>) {
  return {
    write(value: T, at: number): void {
      try {
        localStorage.setItem(key, JSON.stringify({ at, value }));
      } catch {
        // Full or blocked: the IndexedDB write started beside it is all there is.
      }
    },
    /** The journal's value and when it was written, if there is a readable one. */
    read(): { at: number; value: T } | undefined {
      try {
        const raw = localStorage.getItem(key);
        if (raw === null) return undefined;
        const entry = JSON.parse(raw) as { at?: unknown; value?: unknown };
        const value = validStored(entry?.value, schema);
        return typeof entry?.at === 'number' && value !== undefined ? { at: entry.at, value } : undefined;
      } catch {
        return undefined;
      }
    },
    /** Removes the journal if it is not newer than `savedAt` (what IndexedDB now holds). */
    clear(savedAt = Number.POSITIVE_INFINITY): void {
      try {
        const raw = localStorage.getItem(key);
        if (raw === null) return;
        const at = (JSON.parse(raw) as { at?: unknown })?.at;
        if (typeof at !== 'number' || at <= savedAt) localStorage.removeItem(key);
      } catch {
        // Nothing to do: a journal that cannot be read is ignored at start.
      }
    },
  };
}
