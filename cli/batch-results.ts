/**
 * The results file of `fixpoint batch` (`--out results.jsonl`): one JSON line a finished document, written
 * whole as soon as it finishes, so an interrupted batch loses at most the documents in flight. Read back,
 * it is what a resumed batch skips.
 *
 * A process killed while writing may leave a last line cut short: it is not a result, and it is cut off the
 * file before anything is appended, so every line stays whole. A document whose line says `ok: false` is
 * skipped too, unless the batch runs with `--retry-failed` (then its new line is appended: the last line
 * for an id is its result).
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { UsageError } from './io.ts';

export interface BatchResultLine {
  id: string;
  ok: boolean;
  [field: string]: unknown;
}

export interface PreviousResults {
  /** Ids whose last line says ok. */
  done: Set<string>;
  /** Ids whose last line says failed. */
  failed: Set<string>;
  /** Lines that were not results (cut short by a kill, or edited by hand), left out. */
  ignored: number;
}

/** What `path` already holds; an absent file holds nothing. A cut last line is removed from the file. */
export function readPreviousResults(path: string): PreviousResults {
  const out: PreviousResults = { done: new Set(), failed: new Set(), ignored: 0 };
  if (!existsSync(path)) return out;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read --out ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const whole = text.lastIndexOf('\n') + 1;
  if (whole < text.length) {
    // The tail after the last newline was being written when the batch stopped.
    truncateSync(path, Buffer.byteLength(text.slice(0, whole), 'utf8'));
    out.ignored++;
  }
  for (const line of text.slice(0, whole).split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      out.ignored++;
      continue;
    }
    const r = value as Partial<BatchResultLine> | null;
    if (!r || typeof r.id !== 'string' || typeof r.ok !== 'boolean') {
      out.ignored++;
      continue;
    }
    if (r.ok) {
      out.done.add(r.id);
      out.failed.delete(r.id);
    } else {
      out.failed.add(r.id);
      out.done.delete(r.id);
    }
  }
  return out;
}

/** Appends results, each line in one write and flushed to disk before the next document is counted done. */
export function openResults(path: string) {
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (error) {
    throw new UsageError(
      `cannot write --out ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  return {
    append(line: BatchResultLine): void {
      writeSync(fd, `${JSON.stringify(line)}\n`);
      fsyncSync(fd);
    },
    close(): void {
      closeSync(fd);
    },
  };
}
