/**
 * Absence: "no answer here" as a value of its own, not text that competes with answers. An LLM node
 * declares its sentinel (`notFound`, default `NOT_FOUND`); a reply that is the sentinel (in any case,
 * spacing, underscores or punctuation: `NOT FOUND`, `not found`, `Not_Found.`) becomes ABSENT. Reductions
 * skip absent items, a node given an absent input gives absent outputs, and a run whose result is absent
 * says so (docs/language.md, "Absence").
 *
 * In memory ABSENT is one object, told apart by identity, so no JSON value (a model's JSON answer
 * included) can pass for it. In the run log it has an encoding of its own (`encodeValue`).
 */

/** The one absent value. */
export const ABSENT: { readonly absent: true } = Object.freeze({ absent: true as const });
export type Absent = typeof ABSENT;

export function isAbsent(v: unknown): v is Absent {
  return v === ABSENT;
}

/** The default sentinel of an LLM node. */
export const DEFAULT_SENTINEL = 'NOT_FOUND';

/** What is compared: letters and digits only, upper case (`Not_Found.` and `NOT FOUND` are `NOTFOUND`). */
export function sentinelKey(text: string): string {
  return text.replace(/[^\p{L}\p{N}]+/gu, '').toUpperCase();
}

/** Whether a reply is the node's sentinel (an empty sentinel means the node has none). */
export function isSentinelReply(reply: string, sentinel: unknown): boolean {
  if (typeof sentinel !== 'string') return false;
  const key = sentinelKey(sentinel);
  if (key === '') return false;
  // Short replies only: the sentinel is the whole answer, give or take quotes, marks and punctuation.
  return reply.length <= sentinel.length * 3 + 16 && sentinelKey(reply) === key;
}

/**
 * Values as the run log writes them: ABSENT as `{"$absent": true}`, and any object key that begins with
 * `$` escaped with one more `$`, so no value of the plan's can be read back as ABSENT.
 */
export function encodeValue(value: unknown): unknown {
  if (value === ABSENT) return { $absent: true };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k.startsWith('$') ? `$${k}` : k] = encodeValue(v);
    return out;
  }
  return value;
}

/** The inverse of `encodeValue`, for logs of version 2 on; a version-1 log's values are taken as they are. */
export function decodeValue(value: unknown, logVersion = 2): unknown {
  if (logVersion < 2) return value;
  if (Array.isArray(value)) return value.map((v) => decodeValue(v, logVersion));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]?.[0] === '$absent' && entries[0][1] === true) return ABSENT;
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) out[k.startsWith('$') ? k.slice(1) : k] = decodeValue(v, logVersion);
    return out;
  }
  return value;
}
