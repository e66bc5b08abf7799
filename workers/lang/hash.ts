/**
 * A synchronous content hash for cache keys. It has to run in Node and in a worker without async crypto,
 * and a leaf cache must not confuse two prompts, so two independent 53-bit mixes (cyrb53 with different
 * seeds) are combined into a ~106-bit digest: collisions are out of reach for any realistic cache size.
 * It is not a cryptographic hash; nothing here needs one (the cache is the user's own).
 */
function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** 28 hex characters, stable across runs, engines and platforms. */
export function contentHash(text: string): string {
  const a = cyrb53(text, 0x9e3779b9).toString(16).padStart(14, '0');
  const b = cyrb53(text, 0x85ebca6b).toString(16).padStart(14, '0');
  return a + b;
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
