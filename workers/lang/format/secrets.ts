/**
 * An API key never enters a plan, a URL, an export, a trace or a log (docs/models.md, docs/sharing.md). The plan schema has
 * no field for one, but a user can still paste a key into a prompt template, or a model can echo one: the
 * exporters ask the app for the secrets it holds and look for them in everything they write.
 */

/** Shorter strings are not keys and would match ordinary text. */
export const MIN_SECRET_LENGTH = 8;
/**
 * The shortest piece of a secret that is scrubbed on its own (what a display cut short leaves of a key).
 * Shorter pieces are common words too ("fixpoint" in a 14-character project header would mangle every
 * model name), and a dozen characters of a key do not make it usable.
 */
export const MIN_SECRET_PIECE = 12;

export const REDACTED = '[redacted]';

function usable(secrets: readonly string[]): string[] {
  return [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))];
}

/** Where any secret occurs in a JSON value (keys and strings), as paths like `nodes[3].params.template`. */
export function findSecrets(value: unknown, secrets: readonly string[]): string[] {
  const list = usable(secrets);
  const found: string[] = [];
  if (list.length === 0) return found;
  const hit = (s: string) => list.some((secret) => s.includes(secret));
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      if (hit(v)) found.push(path || '(root)');
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], `${path}[${i}]`);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        if (hit(k)) found.push(p);
        walk(item, p);
      }
    }
  };
  walk(value, '');
  return found;
}

/**
 * `text` with every piece of `secret` at least MIN_SECRET_PIECE long that begins or ends it replaced:
 * what remains of a key in text cut short for display ("the key is sk-abc123…") is still a secret.
 */
function scrubPieces(text: string, secret: string, count: () => void): string {
  if (secret.length <= MIN_SECRET_PIECE) return text;
  let out = text;
  const head = secret.slice(0, MIN_SECRET_PIECE);
  for (let at = out.indexOf(head); at >= 0; at = out.indexOf(head, at + REDACTED.length)) {
    let n = MIN_SECRET_PIECE;
    while (n < secret.length && out[at + n] === secret[n]) n++;
    out = out.slice(0, at) + REDACTED + out.slice(at + n);
    count();
  }
  const tail = secret.slice(-MIN_SECRET_PIECE);
  for (let end = out.indexOf(tail); end >= 0; end = out.indexOf(tail, end + REDACTED.length)) {
    let start = end;
    let k = secret.length - MIN_SECRET_PIECE;
    while (k > 0 && start > 0 && out[start - 1] === secret[k - 1]) {
      start--;
      k--;
    }
    out = out.slice(0, start) + REDACTED + out.slice(end + MIN_SECRET_PIECE);
    end = start;
    count();
  }
  return out;
}

/**
 * A copy of a JSON value with every occurrence of a secret replaced by `[redacted]`, and how many. A
 * piece of a secret (its first or last MIN_SECRET_PIECE characters or more, as left by text cut short)
 * is replaced too.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): { value: T; count: number } {
  const list = usable(secrets).sort((a, b) => b.length - a.length);
  let count = 0;
  const counted = () => {
    count++;
  };
  const scrub = (s: string) => {
    let out = s;
    for (const secret of list) {
      const parts = out.split(secret);
      count += parts.length - 1;
      out = parts.join(REDACTED);
      out = scrubPieces(out, secret, counted);
    }
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return list.length ? scrub(v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        // defineProperty, not assignment: a key named __proto__ must stay a plain key.
        Object.defineProperty(out, list.length ? scrub(k) : k, {
          value: walk(item),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return v;
  };
  return { value: walk(value) as T, count };
}
