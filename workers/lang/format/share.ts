/**
 * Share links (DESIGN §5, docs/sharing.md): `#p=<format-version>.<base64url(deflate-raw(JSON))>`.
 *
 * The JSON is the plan document reduced to what a reader needs: semantics and layout, with defaults,
 * the viewport and sub-pixel noise dropped (the version prefix pins what "default" means, so a later
 * format that changes a default must migrate old links by filling the old value in). It never holds an
 * API key, a provider URL or a local setting: the plan has no field for them, unknown fields are
 * dropped, and the app's secrets are searched for before a link is made. The input document travels only
 * when asked for and under `SHARE_LIMITS.maxInputBytes`.
 *
 * Decoding trusts nothing: payload length, inflated size (inflating stops at the cap), UTF-8, JSON depth,
 * then the plan loader (schema, known kinds, limits, migrations). Nothing in a link is ever executed.
 */

import { catalog, specIn } from '../nodes/catalog.ts';
import { deflateRaw, fromBase64Url, inflateRaw, toBase64Url } from './deflate.ts';
import { PLAN_FORMAT, PLAN_VERSION, type Plan, plannerSettingsSchema, planSchema } from './plan.ts';
import { readPlanValue, refuseSecrets } from './plan-file.ts';
import { parseUntrustedJson } from './untrusted-json.ts';

export const SHARE_LIMITS = {
  /** Longest accepted payload after `p=<version>.`, in characters (links we make stay far below it). */
  maxPayloadChars: 32_768,
  /** Largest accepted JSON once inflated, in bytes; inflating stops past it. */
  maxJsonBytes: 1_048_576,
  /** Deepest accepted JSON nesting. */
  maxJsonDepth: 64,
  /** Largest input document that may travel in a link, in bytes of UTF-8 (8 KB). */
  maxInputBytes: 8_192,
  /** Links longer than this are cut by chat apps, mail and QR codes: the UI warns. */
  warnChars: 2_000,
} as const;

export type ShareErrorCode = 'invalid-plan' | 'input-too-large' | 'too-large';

export class ShareError extends Error {
  constructor(
    readonly code: ShareErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ShareError';
  }
}

export interface ShareOptions {
  /** Put the plan's input text in the link (off unless the user asks; refused above the cap). */
  includeInput: boolean;
  /** Strings that must never leave the browser (the API keys the app holds). */
  secrets?: readonly string[];
}

export type DecodedLink = { ok: true; plan: Plan; migratedFrom?: number } | { ok: false; error: string };

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** Whether the plan's input text may travel in a link, and its size in bytes. */
export function inputShareable(plan: Plan): { bytes: number; ok: boolean } {
  const bytes = utf8Bytes(plan.input.text ?? '');
  return { bytes, ok: bytes > 0 && bytes <= SHARE_LIMITS.maxInputBytes };
}

const PLANNER_DEFAULTS: Record<string, unknown> = plannerSettingsSchema.parse({});

function isEmptyObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** `a` deep-equals `b` for JSON values. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function roundBox<T extends Record<string, number>>(box: T): T {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(box)) out[k] = Math.round(v);
  return out as T;
}

/**
 * The JSON a link carries: the plan minus defaults, viewport, and rounding noise; the input text only
 * when asked for. Format and version are left out: the link's prefix states them.
 */
function withoutDefaults(kind: string, params: Record<string, unknown>): Record<string, unknown> {
  const spec = specIn(catalog, kind);
  if (!spec) return params;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    const param = spec.params.find((p) => p.name === name);
    if (!param || !sameJson(value, param.default)) out[name] = value;
  }
  return out;
}

export function sharedForm(plan: Plan, options: ShareOptions): Record<string, unknown> {
  const parsed = planSchema.safeParse(plan);
  if (!parsed.success) {
    throw new ShareError(
      'invalid-plan',
      `The plan is not valid and cannot be shared: ${parsed.error.issues[0]?.message}`,
    );
  }
  const p = parsed.data; // unknown fields are dropped here
  const out: Record<string, unknown> = { name: p.name };
  if (p.description) out.description = p.description;
  if (p.query) out.query = p.query;

  const input: Record<string, unknown> = {};
  if (p.input.generator) input.generator = p.input.generator;
  if (options.includeInput && p.input.text) {
    const bytes = utf8Bytes(p.input.text);
    if (bytes > SHARE_LIMITS.maxInputBytes) {
      throw new ShareError(
        'input-too-large',
        `The input is ${bytes.toLocaleString('en')} bytes; a link carries at most ${SHARE_LIMITS.maxInputBytes.toLocaleString('en')} (8 KB). Export the plan as a file instead.`,
      );
    }
    input.text = p.input.text;
  }
  if (!isEmptyObject(input)) out.input = input;

  out.nodes = p.nodes.map((n) => {
    const node: Record<string, unknown> = { id: n.id, kind: n.kind };
    if (n.label !== undefined) node.label = n.label;
    if (n.parent !== undefined) node.parent = n.parent;
    if (n.slot !== undefined) node.slot = n.slot;
    // A param at its default says nothing the link's format version does not: it is left out (a later
    // format that changes the default writes the old one back when it migrates the link).
    const params = withoutDefaults(n.kind, n.params);
    if (!isEmptyObject(params)) node.params = params;
    return node;
  });
  out.wires = p.wires;

  const planner: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p.planner)) {
    if (v !== undefined && !sameJson(v, PLANNER_DEFAULTS[k])) planner[k] = v;
  }
  if (!isEmptyObject(planner)) out.planner = planner;

  const ids = new Set(p.nodes.map((n) => n.id));
  const view: Record<string, unknown> = {};
  const positions = Object.entries(p.view.positions).filter(([id]) => ids.has(id));
  if (positions.length) view.positions = Object.fromEntries(positions.map(([id, xy]) => [id, roundBox(xy)]));
  const sizes = Object.entries(p.view.sizes).filter(([id]) => ids.has(id));
  if (sizes.length) view.sizes = Object.fromEntries(sizes.map(([id, s]) => [id, roundBox(s)]));
  if (!isEmptyObject(view)) out.view = view;

  refuseSecrets(p, out, options.secrets ?? [], 'sharing');
  return out;
}

/**
 * `#p=1.…`. Throws ShareError when the plan is invalid, the input or the link too large, and SecretInPlanError when
 * one of `options.secrets` is in what the link would carry.
 */
export async function encodeShareLink(plan: Plan, options: ShareOptions): Promise<string> {
  const json = JSON.stringify(sharedForm(plan, options));
  const payload = toBase64Url(await deflateRaw(new TextEncoder().encode(json)));
  // Never make a link that no Fixpoint would open.
  if (payload.length > SHARE_LIMITS.maxPayloadChars) {
    throw new ShareError(
      'too-large',
      `This plan makes a link of ${payload.length.toLocaleString('en')} characters; links hold at most ${SHARE_LIMITS.maxPayloadChars.toLocaleString('en')}. Export it as a file instead.`,
    );
  }
  return `#p=${PLAN_VERSION}.${payload}`;
}

/** The `p=` value of a location hash (`#p=…&other=…`), or null when the hash is not a share link. */
export function shareParam(hash: string): string | null {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of body.split('&')) {
    if (part.startsWith('p=')) return part.slice(2);
  }
  return null;
}

const fail = (error: string): DecodedLink => ({ ok: false, error });

export async function decodeShareLink(hash: string): Promise<DecodedLink> {
  const value = shareParam(hash);
  if (value === null) return fail('This is not a Fixpoint share link (it has no “#p=” part).');
  const m = /^(\d{1,6})\.([\s\S]*)$/.exec(value);
  if (!m) return fail('The link is malformed: expected “#p=<version>.<data>”.');
  const version = Number(m[1]);
  // Chat apps and mail glue a sentence's closing punctuation to a link; base64url never contains it.
  const payload = m[2]!.replace(/[.,;:!?)\]}'"»>]+$/, '');
  if (version < 1) return fail(`The link names format version ${version}, which never existed.`);
  if (version > PLAN_VERSION) {
    return fail(
      `The link was made by a newer Fixpoint (plan format ${version}); this one reads formats up to ${PLAN_VERSION}. Open it in an up-to-date Fixpoint.`,
    );
  }
  if (payload.length === 0)
    return fail('The link is empty after its version: it was probably cut when copied.');
  if (payload.length > SHARE_LIMITS.maxPayloadChars) {
    return fail(
      `The link is too long (${payload.length.toLocaleString('en')} characters; the limit is ${SHARE_LIMITS.maxPayloadChars.toLocaleString('en')}). Share large plans as files.`,
    );
  }
  const packed = fromBase64Url(payload);
  if (!packed) return fail('The link is damaged: it has characters a share link never contains.');
  const inflated = await inflateRaw(packed, SHARE_LIMITS.maxJsonBytes);
  if (!inflated.ok) {
    return fail(
      inflated.error === 'too-large'
        ? `The link expands to more than ${SHARE_LIMITS.maxJsonBytes / 1_048_576} MB and was refused.`
        : 'The link is damaged (its data does not decompress): was it cut short when copied?',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
  } catch {
    return fail('The link is damaged: its data is not UTF-8 text.');
  }
  const json = parseUntrustedJson(text, {
    maxChars: SHARE_LIMITS.maxJsonBytes,
    maxDepth: SHARE_LIMITS.maxJsonDepth,
  });
  if (!json.ok) return fail(`The link's plan is ${json.error}.`);
  const doc = json.value;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return fail('The link does not hold a plan.');
  const record = doc as Record<string, unknown>;
  if ('format' in record && record.format !== PLAN_FORMAT)
    return fail('The link does not hold a Fixpoint plan.');
  if ('version' in record && record.version !== version) {
    return fail(`The link says format ${version} but its plan says ${String(record.version)}.`);
  }
  const loaded = readPlanValue({ ...record, format: PLAN_FORMAT, version });
  if (!loaded.ok) return fail(`The link's plan is not valid: ${loaded.error}`);
  return loaded.migratedFrom !== undefined
    ? { ok: true, plan: loaded.plan, migratedFrom: loaded.migratedFrom }
    : { ok: true, plan: loaded.plan };
}
