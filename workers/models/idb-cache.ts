/**
 * The leaf cache that survives a reload (docs/evaluation.md): answers kept in IndexedDB (through idb-keyval) in
 * the runtime worker, so re-running an unchanged plan after a reload costs no model call.
 *
 * - Reads go to memory first, then to the store; writes are gathered and written in one transaction every
 *   `flushMs`, because a 10,000-call run would otherwise open 10,000 transactions.
 * - What comes back from the store is checked before use: a damaged entry is a miss, never a value.
 * - The store is bounded: past `maxEntries`, the oldest answers are dropped.
 * - Entries are keyed by the scheduler's content hash (model id + whole request), which holds no key and
 *   no URL; the answers are model text the user already saw.
 */
import { clear, createStore, delMany, entries, get, setMany, type UseStore } from 'idb-keyval';
import type { LeafResponse } from '../lang/index.ts';
import { type LeafCache, MemoryLeafCache } from '../lang/index.ts';

/** The few store operations the cache needs; idb-keyval in the browser, a Map in tests. */
export interface CacheBackend {
  get(key: string): Promise<unknown>;
  setMany(items: [string, StoredAnswer][]): Promise<void>;
  entries(): Promise<[string, unknown][]>;
  delMany(keys: string[]): Promise<void>;
  clear(): Promise<void>;
  /** When each answer was stored (ms since epoch), where the store can tell without reading them all. */
  ages?(): Promise<[string, number][]>;
}

export interface StoredAnswer extends LeafResponse {
  /** When it was stored (ms since epoch), for eviction. */
  t: number;
}

export interface IdbLeafCacheOptions {
  backend?: CacheBackend;
  maxEntries?: number;
  flushMs?: number;
  memoryEntries?: number;
}

export function idbBackend(dbName = 'fixpoint-leaf-cache', storeName = 'answers'): CacheBackend {
  let store: UseStore | undefined;
  const use = () => {
    store ??= createStore(dbName, storeName);
    return store;
  };
  return {
    get: (key) => get(key, use()),
    setMany: (items) => setMany(items, use()),
    entries: () => entries<string, unknown>(use()),
    delMany: (keys) => delMany(keys, use()),
    clear: () => clear(use()),
  };
}

export class IdbLeafCache implements LeafCache {
  private readonly backend: CacheBackend;
  private readonly memory: MemoryLeafCache;
  private readonly maxEntries: number;
  private readonly flushMs: number;
  private pending = new Map<string, StoredAnswer>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private pruned = false;
  /** Set when the store failed (private mode, quota): the cache goes on in memory only. */
  private broken = false;

  constructor(options: IdbLeafCacheOptions = {}) {
    this.backend = options.backend ?? idbBackend();
    this.maxEntries = options.maxEntries ?? 20_000;
    this.flushMs = options.flushMs ?? 250;
    this.memory = new MemoryLeafCache(options.memoryEntries ?? 5_000);
  }

  async get(key: string): Promise<LeafResponse | undefined> {
    const hot = this.memory.get(key) ?? this.pending.get(key);
    if (hot) return hot;
    if (this.broken) return undefined;
    let stored: unknown;
    try {
      stored = await this.backend.get(key);
    } catch {
      this.broken = true;
      return undefined;
    }
    const answer = asAnswer(stored);
    if (answer) this.memory.set(key, answer);
    return answer;
  }

  set(key: string, value: LeafResponse): void {
    const answer: LeafResponse = {
      text: value.text,
      usage: { ...value.usage },
      finishReason: value.finishReason,
    };
    this.memory.set(key, answer);
    if (this.broken) return;
    this.pending.set(key, { ...answer, t: Date.now() });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushMs);
  }

  /** Writes what is pending now; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = [...this.pending.entries()];
    this.pending = new Map();
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0 || this.broken) return;
      try {
        await this.backend.setMany(batch);
        if (!this.pruned) {
          this.pruned = true;
          await this.prune();
        }
      } catch {
        this.broken = true;
      }
    });
    return this.flushing;
  }

  /** Forgets every stored answer. */
  async clear(): Promise<void> {
    this.pending.clear();
    this.memory.clear();
    await this.flushing;
    await this.backend.clear();
    this.broken = false;
  }

  private async prune(): Promise<void> {
    const all = this.backend.ages
      ? await this.backend.ages()
      : (await this.backend.entries()).map(([key, v]): [string, number] => [
          key,
          typeof (v as StoredAnswer)?.t === 'number' ? (v as StoredAnswer).t : 0,
        ]);
    if (all.length <= this.maxEntries) return;
    const byAge = all.map(([key, t]) => ({ key, t })).sort((a, b) => a.t - b.t);
    await this.backend.delMany(byAge.slice(0, all.length - this.maxEntries).map((e) => e.key));
  }
}

function asAnswer(v: unknown): LeafResponse | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Partial<StoredAnswer>;
  const usage = o.usage;
  if (
    typeof o.text !== 'string' ||
    (o.finishReason !== 'stop' && o.finishReason !== 'length') ||
    typeof usage !== 'object' ||
    usage === null ||
    !Number.isFinite(usage.promptTokens) ||
    !Number.isFinite(usage.completionTokens)
  ) {
    return undefined;
  }
  return {
    text: o.text,
    finishReason: o.finishReason,
    usage: { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens },
  };
}
