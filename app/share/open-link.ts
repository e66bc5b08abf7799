/**
 * Opening a share link (docs/sharing.md): decode and validate it in the language layer, then open the plan as a
 * new document. The open document is never overwritten: opening gives the link its own document id, and
 * the one open before stays saved in the recent list. The hash is cleared whether the link opened or
 * not, so a reload neither reopens it over later edits nor repeats an error.
 *
 * The steps that touch the app are passed in, so this runs (and is tested) without a browser.
 */
import type { Plan } from '../../workers/lang/index.ts';
import { decodeShareLink, shareParam } from '../../workers/lang/index.ts';
import type { PreparedInput } from '../documents/plan-input.ts';

export interface OpenLinkDeps {
  /** The document open now (it stays in the recent list); an empty one is not worth mentioning. */
  current(): { name: string; empty: boolean };
  openDocument(plan: Plan): void;
  /** The link carried the input document: make it the input. */
  setInput(text: string): void;
  /**
   * The link carried none: make the plan's own input ready (its sample, as opening an example does), unless
   * the user's own document is the input. Someone opening a link in a new browser had no input at all.
   */
  prepareInput(plan: Plan): PreparedInput;
  clearHash(): void;
}

export type OpenedLink =
  | {
      kind: 'opened';
      name: string;
      description: string;
      /** The document kept in the recent list, or null when the one open before was empty. */
      previous: string | null;
      withInput: boolean;
      /** What the input is now: the link's, the plan's sample (being made), the user's own kept, or none. */
      input: 'link' | PreparedInput;
      migratedFrom?: number;
    }
  | { kind: 'error'; error: string };

/** Opens the link in `hash`; null when the hash is not a share link (and is then left alone). */
export async function openSharedLink(hash: string, deps: OpenLinkDeps): Promise<OpenedLink | null> {
  if (shareParam(hash) === null) return null;
  const r = await decodeShareLink(hash);
  deps.clearHash();
  if (!r.ok) return { kind: 'error', error: r.error };
  const current = deps.current();
  const previous = current.empty ? null : current.name;
  deps.openDocument(r.plan);
  const text = r.plan.input.text;
  if (text) deps.setInput(text);
  const input = text ? 'link' : deps.prepareInput(r.plan);
  return {
    kind: 'opened',
    name: r.plan.name,
    description: r.plan.description,
    previous,
    withInput: Boolean(text),
    input,
    ...(r.migratedFrom !== undefined && { migratedFrom: r.migratedFrom }),
  };
}
