/**
 * A synchronous content hash for cache keys. It has to run in Node and in a worker without async crypto,
 * and a leaf cache must not confuse two prompts, so two independent 53-bit mixes (cyrb53-style, different
 * seeds) make a ~106-bit digest: collisions are out of reach for any realistic cache size. It is not a
 * cryptographic hash; nothing here needs one (the cache is the user's own).
 *
 * Leaf prompts are long (a chunk of τ* tokens) and every leaf call hashes one, on the path between two
 * model calls: the mixes take two UTF-16 units per step, and parts are fed one by one without being
 * concatenated first.
 */
const SEED_A = 0x9e3779b9;
const SEED_B = 0x85ebca6b;

function finish(a: number, b: number): string {
  let h1 = Math.imul(a ^ (a >>> 16), 2246822507);
  h1 ^= Math.imul(b ^ (b >>> 13), 3266489909);
  let h2 = Math.imul(b ^ (b >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

export class ContentHasher {
  private a1 = 0xdeadbeef ^ SEED_A;
  private b1 = 0x41c6ce57 ^ SEED_A;
  private a2 = 0xdeadbeef ^ SEED_B;
  private b2 = 0x41c6ce57 ^ SEED_B;

  /** Feeds a part. Callers that feed several parts delimit them (e.g. by length) themselves. */
  update(text: string): this {
    let { a1, b1, a2, b2 } = this;
    const n = text.length;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const ch = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
      a1 = Math.imul(a1 ^ ch, 2654435761);
      b1 = Math.imul(b1 ^ ch, 1597334677);
      a2 = Math.imul(a2 ^ ch, 2246822519);
      b2 = Math.imul(b2 ^ ch, 3266489917);
    }
    if (i < n) {
      const ch = text.charCodeAt(i) | 0x10000;
      a1 = Math.imul(a1 ^ ch, 2654435761);
      b1 = Math.imul(b1 ^ ch, 1597334677);
      a2 = Math.imul(a2 ^ ch, 2246822519);
      b2 = Math.imul(b2 ^ ch, 3266489917);
    }
    this.a1 = a1;
    this.b1 = b1;
    this.a2 = a2;
    this.b2 = b2;
    return this;
  }

  /** 28 hex characters, stable across runs, engines and platforms. */
  digest(): string {
    return finish(this.a1, this.b1) + finish(this.a2, this.b2);
  }
}

export function contentHash(text: string): string {
  return new ContentHasher().update(text).digest();
}

/** JSON with object keys sorted, so equal values always serialise (and hash) the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}
