/**
 * The content-addressed store of leaf answers (docs/evaluation.md). The key is a hash of the model's identity and
 * the whole request, so re-running an unchanged plan, or running from a node, reuses results. The store is
 * pluggable: memory here, IndexedDB in the app. Only complete answers are stored (never an error or an
 * aborted stream).
 */
import { ContentHasher, canonicalJson } from '../format/hash.ts';
import type { LeafRequest, LeafResponse } from './provider.ts';

export interface LeafCache {
  get(key: string): LeafResponse | undefined | Promise<LeafResponse | undefined>;
  set(key: string, value: LeafResponse): void | Promise<void>;
}

/** The cache key of a request to a model: `leaf:` and a content hash. */
export function leafCacheKey(modelId: string, request: LeafRequest): string {
  // Fed part by part (no copy of a long prompt), each part length-prefixed so none can imitate a
  // boundary; only the schema needs canonical JSON (its keys sorted).
  const h = new ContentHasher();
  h.update(`${modelId.length}:${modelId}|${request.maxTokens}|${request.temperature}|`);
  h.update(request.jsonSchema === undefined ? 'null' : canonicalJson(request.jsonSchema));
  for (const m of request.messages) h.update(`|${m.role}:${m.content.length}:`).update(m.content);
  return `leaf:${h.digest()}`;
}

/** An in-memory cache with least-recently-used eviction, bounded by entry count. */
export class MemoryLeafCache implements LeafCache {
  private readonly entries = new Map<string, LeafResponse>();

  constructor(private readonly maxEntries = 50_000) {}

  get(key: string): LeafResponse | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    // Re-insert to mark it most recently used (Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  set(key: string, value: LeafResponse): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
