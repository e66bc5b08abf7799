/**
 * Plan files (`.json`, docs/sharing.md): import goes through the same gate as a share link (text limits, JSON
 * depth, then the plan loader: schema, known kinds, limits, migrations); export writes the whole document,
 * input included, after making sure none of the app's secrets is in it.
 */

import { decodeText, normalizeText } from './input-text.ts';
import { loadPlan } from './load.ts';
import { PLAN_FORMAT, type Plan, planSchema } from './plan.ts';
import { findSecrets } from './secrets.ts';
import { type JsonResult, parseUntrustedJson } from './untrusted-json.ts';

export const PLAN_FILE_LIMITS = {
  /** Largest plan file accepted, in characters (the schema allows a 1 MB input and 2,000 nodes). */
  maxChars: 16 * 1024 * 1024,
  maxDepth: 64,
} as const;

export type ReadPlanResult = { ok: true; plan: Plan; migratedFrom?: number } | { ok: false; error: string };

/** Validates a parsed JSON value as a plan of any known format version, migrating it to the current one. */
export function readPlanValue(value: unknown): ReadPlanResult {
  const r = loadPlan(value);
  if (r.ok) return r;
  const shown = r.diagnostics.slice(0, 3).map((d) => d.message);
  const more = r.diagnostics.length - shown.length;
  return { ok: false, error: `${shown.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}` };
}

/**
 * The JSON in a plan file, bytes or text, before it is checked as a plan: the one reader for the page and
 * the CLI. The text is decoded and normalised like any input (a BOM, UTF-16, CRLF are fine), then parsed
 * under the file limits. `error` completes "<file> is …".
 */
export function readPlanJson(content: string | Uint8Array): JsonResult {
  let text: string;
  if (typeof content === 'string') text = normalizeText(content);
  else {
    // Sized before decoding: the bytes of a file far too large never become a string.
    if (content.length > PLAN_FILE_LIMITS.maxChars * 4) {
      return {
        ok: false,
        error: `too large: ${content.length.toLocaleString('en')} bytes (the limit is ${PLAN_FILE_LIMITS.maxChars.toLocaleString('en')} characters)`,
      };
    }
    const decoded = decodeText(content);
    if (!decoded.ok) return { ok: false, error: decoded.what.replace(/\.$/, '') };
    text = decoded.text;
  }
  return parseUntrustedJson(text, PLAN_FILE_LIMITS);
}

export function parsePlanFile(content: string | Uint8Array): ReadPlanResult {
  const json = readPlanJson(content);
  if (!json.ok) return { ok: false, error: `The file is ${json.error}.` };
  const v = json.value;
  if (
    v === null ||
    typeof v !== 'object' ||
    Array.isArray(v) ||
    (v as { format?: unknown }).format !== PLAN_FORMAT
  ) {
    return { ok: false, error: `The file is not a Fixpoint plan (it has no "format": "${PLAN_FORMAT}").` };
  }
  const r = readPlanValue(v);
  return r.ok ? r : { ok: false, error: `The plan is not valid: ${r.error}` };
}

/** Where a JSON path points, in words: `nodes[3].params.template` → `node “llm-1” (params.template)`. */
function describePath(plan: Plan, path: string): string {
  const m = /^nodes\[(\d+)\](?:\.(.*))?$/.exec(path);
  if (m) return `node “${plan.nodes[Number(m[1])]?.id ?? '?'}”${m[2] ? ` (${m[2]})` : ''}`;
  return path;
}

/** One of the app's secrets (an API key) was found in a plan about to leave the browser. */
export class SecretInPlanError extends Error {
  readonly code = 'contains-secret';
  constructor(
    readonly where: string[],
    action: 'sharing' | 'exporting',
  ) {
    super(`Your API key appears in the plan, at ${where.join(', ')}. Remove it before ${action}.`);
    this.name = 'SecretInPlanError';
  }
}

/** Throws SecretInPlanError when `value` (the plan, or the form of it about to be written) holds a secret. */
export function refuseSecrets(
  plan: Plan,
  value: unknown,
  secrets: readonly string[],
  action: 'sharing' | 'exporting',
): void {
  const leaks = findSecrets(value, secrets);
  if (leaks.length)
    throw new SecretInPlanError([...new Set(leaks.map((l) => describePath(plan, l)))], action);
}

/** The plan as a `.json` file. Unknown fields are dropped; throws SecretInPlanError if a secret is in it. */
export function exportPlanFile(plan: Plan, options: { secrets?: readonly string[] } = {}): string {
  const clean = planSchema.parse(plan);
  refuseSecrets(clean, clean, options.secrets ?? [], 'exporting');
  return `${JSON.stringify(clean, null, 2)}\n`;
}

/** A file name for the plan: its name in lower-case words, `.json`. */
export function planFileName(plan: Plan): string {
  const base = plan.name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'plan'}.fixpoint.json`;
}
