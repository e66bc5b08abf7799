/**
 * Plan migrations: a registry of functions, each taking a document of version v to version v + 1. A plan
 * file or link of any older version is walked up to PLAN_VERSION before the schema sees it.
 */
import { PLAN_VERSION } from './plan.ts';
import { v1ToV2 } from './v1-to-v2.ts';

export type PlanDocument = Record<string, unknown>;
/** Takes a document of version `from` to version `from + 1` (and sets `version`). Must not throw on junk. */
export type Migration = (doc: PlanDocument) => PlanDocument;

/** The registry: MIGRATIONS[v] takes version v to v + 1. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = { 1: v1ToV2 };

export type MigrationResult = { ok: true; doc: PlanDocument; from: number } | { ok: false; message: string };

export function migrate(
  doc: PlanDocument,
  target: number = PLAN_VERSION,
  registry: Readonly<Record<number, Migration>> = MIGRATIONS,
): MigrationResult {
  const from = doc.version;
  if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 1) {
    return {
      ok: false,
      message: `version must be a whole number from 1 (found ${JSON.stringify(from) ?? 'none'})`,
    };
  }
  if (from > target) {
    return {
      ok: false,
      message: `the plan is format version ${from}, made by a newer Fixpoint; this one reads versions up to ${target}`,
    };
  }
  let current = doc;
  for (let v = from; v < target; v++) {
    const step = Object.hasOwn(registry, v) ? registry[v] : undefined;
    if (!step) return { ok: false, message: `no migration from version ${v} to ${v + 1}` };
    try {
      current = { ...step(current), version: v + 1 };
    } catch (e) {
      return {
        ok: false,
        message: `migrating from version ${v} failed: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
  }
  return { ok: true, doc: current, from };
}
