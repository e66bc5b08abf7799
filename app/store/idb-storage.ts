/** The browser's IndexedDB as the key-value store behind autosave (larger and sturdier than localStorage). */
import { createStore, del, get, set } from 'idb-keyval';
import type { KeyValueStorage } from './autosave.ts';

let shared: KeyValueStorage | null = null;

/** One store for the whole app: `fixpoint` database, `documents` object store. */
export function browserStorage(): KeyValueStorage {
  if (shared) return shared;
  const store = createStore('fixpoint', 'documents');
  shared = {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
  };
  return shared;
}
