/**
 * Autosave and the recent-documents list. Every edit is written to the browser's storage shortly after
 * it happens (debounced, well under a second); a reload restores the last document exactly; a save
 * that cannot be read is reported, kept aside for download, and the editor recovers with another
 * readable document or a new one — never a blank page.
 *
 * Storage layout (one key-value store, see `persistence.ts`):
 *   `current`   → id of the open document
 *   `recent`    → RecentEntry[] (newest first)
 *   `doc:<id>`  → SavedDocument
 */
import { z } from 'zod';
import { create } from 'zustand';
import type { Plan } from '../../workers/lang/index.ts';
import { readPlanValue } from '../../workers/lang/index.ts';
import { useDocument } from './document.ts';
import { type KeyValueStorage, leaveJournal, onPageLeave, validStored } from './persistence.ts';

const recentEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  savedAt: z.number().catch(0),
  nodes: z.number().catch(0),
});
export type RecentEntry = z.infer<typeof recentEntrySchema>;

/** A saved document: its plan is checked on its own (`readSavedPlan`), so a damaged one can be reported. */
const savedDocumentSchema = z.object({
  id: z.string().catch(''),
  savedAt: z.number().catch(0),
  plan: z.unknown().refine((p) => p !== undefined, 'no plan'),
});
type SavedDocument = z.infer<typeof savedDocumentSchema>;

export const SAVE_DELAY_MS = 250;
export const RECENT_LIMIT = 20;

/** Reads and validates a plan from storage. Errors are written for people. */
export type PlanReader = (raw: unknown) => { ok: true; plan: Plan } | { ok: false; error: string };

/** The same gate as a file or a link: limits, schema, known kinds, migrations of older versions. */
export const readSavedPlan: PlanReader = (raw) => {
  const r = readPlanValue(raw);
  return r.ok ? { ok: true, plan: r.plan } : { ok: false, error: r.error };
};

export async function listRecent(storage: KeyValueStorage): Promise<RecentEntry[]> {
  const raw = await storage.get('recent');
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((e) => validStored(e, recentEntrySchema) ?? []);
}

/** Writes a document and moves it to the top of the recent list; it becomes the current document. */
export async function saveDocument(storage: KeyValueStorage, id: string, plan: Plan): Promise<void> {
  const savedAt = Date.now();
  await storage.set(`doc:${id}`, { id, savedAt, plan } satisfies SavedDocument);
  const recent = (await listRecent(storage)).filter((e) => e.id !== id);
  recent.unshift({ id, name: plan.name, savedAt, nodes: plan.nodes.length });
  const dropped = recent.splice(RECENT_LIMIT);
  await storage.set('recent', recent);
  await storage.set('current', id);
  for (const e of dropped) await storage.del(`doc:${e.id}`);
}

export type LoadResult =
  | { ok: true; id: string; plan: Plan; savedAt: number }
  | { ok: false; id: string; error: string; raw: unknown };

export async function loadDocument(
  storage: KeyValueStorage,
  id: string,
  read: PlanReader = readSavedPlan,
): Promise<LoadResult> {
  let raw: unknown;
  try {
    raw = await storage.get(`doc:${id}`);
  } catch (e) {
    return { ok: false, id, error: `the browser's storage failed: ${String(e)}`, raw: undefined };
  }
  if (raw === undefined) return { ok: false, id, error: 'no such saved document', raw };
  const saved = validStored(raw, savedDocumentSchema);
  if (!saved) return { ok: false, id, error: 'the saved record is not a document', raw };
  const r = read(saved.plan);
  if (!r.ok) return { ok: false, id, error: r.error, raw };
  return { ok: true, id, plan: r.plan, savedAt: saved.savedAt };
}

export async function removeRecent(storage: KeyValueStorage, id: string): Promise<void> {
  const recent = (await listRecent(storage)).filter((e) => e.id !== id);
  await storage.set('recent', recent);
  await storage.del(`doc:${id}`);
}

export interface RestoreOutcome {
  /** The document to open, or null for a new one. */
  opened: { id: string; plan: Plan; savedAt: number } | null;
  /** Saves that could not be read: reported to the user, the raw value kept for download. */
  damaged: { id: string; error: string; raw: unknown }[];
}

/**
 * Finds the document to open at start: the current one, or, when it cannot be read, the newest readable
 * recent document. Unreadable saves are moved aside (`damaged:<id>`) so they are reported only once and
 * never overwritten.
 */
export async function restore(
  storage: KeyValueStorage,
  read: PlanReader = readSavedPlan,
): Promise<RestoreOutcome> {
  const damaged: RestoreOutcome['damaged'] = [];
  const current = await storage.get('current');
  const candidates: string[] = [];
  if (typeof current === 'string') candidates.push(current);
  for (const e of await listRecent(storage)) if (!candidates.includes(e.id)) candidates.push(e.id);
  for (const id of candidates) {
    const r = await loadDocument(storage, id, read);
    if (r.ok) return { opened: { id, plan: r.plan, savedAt: r.savedAt }, damaged };
    if (r.raw !== undefined) {
      damaged.push({ id, error: r.error, raw: r.raw });
      await storage.set(`damaged:${id}`, r.raw);
      await removeRecent(storage, id);
    } else if (id === current) {
      // The pointer names a document that is gone: not damage, just stale.
      await removeRecent(storage, id);
    }
  }
  return { opened: null, damaged };
}

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

interface AutosaveStatus {
  state: SaveState;
  savedAt: number | null;
  error: string | null;
  /** Saves found damaged at start, until the user dismisses the notice. */
  damaged: RestoreOutcome['damaged'];
  /** Nothing was saved in this browser before this page opened: the first visit. */
  firstVisit: boolean;
  dismissDamaged(): void;
}

export const useAutosave = create<AutosaveStatus>()((set) => ({
  state: 'idle',
  savedAt: null,
  error: null,
  damaged: [],
  firstVisit: false,
  dismissDamaged: () => set({ damaged: [] }),
}));

/** The open document as the page was left, when its last save may not have finished (see leaveJournal). */
const documentJournal = leaveJournal(
  'fixpoint.leave.document.v1',
  z.object({ docId: z.string().min(1), plan: z.unknown() }),
);

/**
 * Restores the last document, then saves every change of the open document after `delay` ms. On a first
 * visit (nothing saved at all), `firstVisit` may give the document to open instead of an empty one.
 * Returns a function that stops saving (after writing what is pending).
 */
export async function startAutosave(
  storage: KeyValueStorage,
  options: { delay?: number; read?: PlanReader; firstVisit?: () => Promise<Plan | null> } = {},
): Promise<() => Promise<void>> {
  const delay = options.delay ?? SAVE_DELAY_MS;
  try {
    const outcome = await restore(storage, options.read);
    // Edits the page was left with, newer than the last save that finished: they win (and are saved below).
    const left = documentJournal.read();
    const leftPlan = left ? (options.read ?? readSavedPlan)(left.value.plan) : undefined;
    if (left && leftPlan?.ok && left.at > (outcome.opened?.savedAt ?? 0))
      outcome.opened = { id: left.value.docId, plan: leftPlan.plan, savedAt: left.at };
    if (outcome.opened)
      useDocument.getState().openDocument(outcome.opened.plan, { docId: outcome.opened.id });
    const first = outcome.opened === null && outcome.damaged.length === 0;
    if (first && options.firstVisit) {
      // Opened before the first save, so no empty "Untitled pipeline" is left in the recent list.
      const plan = await options.firstVisit().catch(() => null);
      if (plan) useDocument.getState().openDocument(plan);
    }
    useAutosave.setState({ damaged: outcome.damaged, firstVisit: first });
  } catch (e) {
    useAutosave.setState({ state: 'error', error: `could not read saved documents: ${String(e)}` });
  }

  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();
  /** The newest save asked for: a queued older one that has not started is skipped. */
  let newest = 0;
  /** `now`: start at once instead of after the saves before it (the page is being left: later is never). */
  const flush = async (now = false) => {
    if (timer) clearTimeout(timer);
    timer = null;
    const { docId, plan } = useDocument.getState();
    useAutosave.setState({ state: 'saving' });
    const n = ++newest;
    const startedAt = Date.now();
    const save = () => (n === newest ? saveDocument(storage, docId, plan) : undefined);
    writing = (now ? Promise.all([writing, save()]) : writing.then(save))
      .then(() => {})
      .then(
        () => {
          if (n === newest) documentJournal.clear(startedAt);
          if (timer === null) useAutosave.setState({ state: 'saved', savedAt: Date.now(), error: null });
        },
        (e: unknown) => useAutosave.setState({ state: 'error', error: String(e) }),
      );
    await writing;
  };
  const unsubscribe = useDocument.subscribe((s, prev) => {
    if (s.plan === prev.plan && s.docId === prev.docId) return;
    if (s.docId !== prev.docId && timer) {
      // Another document was opened before the last edits of the previous one were written.
      const { docId, plan } = prev;
      writing = writing.then(() => saveDocument(storage, docId, plan)).catch(() => {});
    }
    useAutosave.setState({ state: 'pending' });
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), delay);
  });
  const leave = onPageLeave(() => {
    if (!timer) return;
    const { docId, plan } = useDocument.getState();
    documentJournal.write({ docId, plan }, Date.now());
    void flush(true);
  });
  // The document at start is saved too, so a fresh document appears in the recent list at once.
  await flush();
  return async () => {
    unsubscribe();
    leave();
    if (timer) await flush();
    await writing;
  };
}

/** Opens a document from the recent list; a damaged one is reported and the open document kept. */
export async function openRecent(
  storage: KeyValueStorage,
  id: string,
  read: PlanReader = readSavedPlan,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const r = await loadDocument(storage, id, read);
  if (!r.ok) return { ok: false, error: r.error };
  useDocument.getState().openDocument(r.plan, { docId: id });
  return { ok: true };
}
