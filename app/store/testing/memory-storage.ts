import type { KeyValueStorage } from '../persistence.ts';

/** TEST DOUBLE: an in-memory key-value store standing in for IndexedDB (values are cloned as IndexedDB does). */
export function memoryStorage(): KeyValueStorage & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (k) => structuredClone(data.get(k)),
    set: async (k, v) => void data.set(k, structuredClone(v)),
    del: async (k) => void data.delete(k),
  };
}
