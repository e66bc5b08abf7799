/**
 * JSON from outside (a share link, a plan file, a run log) is hostile until proven otherwise (docs/sharing.md).
 * This parses it under limits before any schema sees it: the text length, the nesting depth (checked by a
 * linear scan before `JSON.parse`, so a deeply nested payload never reaches a recursive validator and
 * cannot overflow the stack), and no `__proto__` key anywhere (a validator that copies keys into a fresh
 * object with `out[key] = …` would otherwise replace that object's prototype). Nothing is ever evaluated.
 */

export interface JsonLimits {
  /** Longest accepted text, in UTF-16 code units. */
  maxChars: number;
  /** Deepest accepted nesting of arrays and objects. */
  maxDepth: number;
}

/** `error` completes "The file is …" / "The link's plan is …": too large, not valid JSON, and so on. */
export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

/** Deepest nesting of `[`/`{` outside strings, or -1 as soon as it exceeds `limit`. Linear, no recursion. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return -1;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

class ForbiddenKey extends Error {}

function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new ForbiddenKey();
  return value;
}

export function parseUntrustedJson(text: string, limits: JsonLimits): JsonResult {
  if (text.length > limits.maxChars) {
    return {
      ok: false,
      error: `too large: ${text.length.toLocaleString('en')} characters (the limit is ${limits.maxChars.toLocaleString('en')})`,
    };
  }
  if (jsonDepth(text, limits.maxDepth) < 0) {
    return { ok: false, error: `nested more than ${limits.maxDepth} levels deep` };
  }
  try {
    return { ok: true, value: JSON.parse(text, refuseProtoKeys) };
  } catch (e) {
    if (e instanceof ForbiddenKey)
      return { ok: false, error: 'a JSON document with a "__proto__" key, which is not allowed' };
    return { ok: false, error: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}
