/**
 * The documents of `fixpoint batch --inputs`: a folder (every file in it and its subfolders, in name
 * order; the id is the path inside the folder) or a JSON Lines file (one document a line: `text`, and
 * optionally `id` and `query`; the id defaults to `line-N`). Ids must be unique: they are how a resumed
 * batch knows what is done.
 *
 * A folder's files are read one at a time, when their document runs, so a large corpus is never all in
 * memory; each is decoded like `--input` (UTF-8 or UTF-16, a BOM dropped, CRLF made LF).
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { normalizeText } from '../workers/lang/index.ts';
import { UsageError } from './io.ts';
import { readInputFile } from './read-input.ts';

export interface BatchDocument {
  id: string;
  /** The document's own question, when its line gives one. */
  query?: string;
  /** Its text, read when it runs. */
  text(): string;
}

/** Ids are written into results and file names: bounded, and on one line. */
const MAX_ID_CHARS = 500;

export async function readBatchInputs(path: string): Promise<BatchDocument[]> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (error) {
    throw new UsageError(
      `cannot read --inputs ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const docs = isDir ? folderDocuments(path) : await jsonlDocuments(path);
  if (docs.length === 0) throw new UsageError(`--inputs ${path} holds no document`);
  const seen = new Set<string>();
  for (const d of docs) {
    if (seen.has(d.id)) throw new UsageError(`--inputs ${path}: the id "${d.id}" is given to two documents`);
    seen.add(d.id);
  }
  return docs;
}

function folderDocuments(root: string): BatchDocument[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const e of entries) {
      // Hidden files (.DS_Store, .git) are not documents.
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) files.push(full);
    }
  };
  walk(root);
  return files.map((file) => {
    const id = relative(root, file).split(sep).join('/');
    return { id, text: () => readInputFile(file, `--inputs ${id}:`) };
  });
}

async function jsonlDocuments(path: string): Promise<BatchDocument[]> {
  const docs: BatchDocument[] = [];
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  try {
    for await (const raw of lines) {
      n++;
      const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      const where = `--inputs ${path}, line ${n}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new UsageError(`${where}: not JSON (each line is {"text": …, "id"?: …, "query"?: …})`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new UsageError(`${where}: each line is an object {"text": …, "id"?: …, "query"?: …}`);
      const o = value as Record<string, unknown>;
      if (typeof o.text !== 'string') throw new UsageError(`${where}: "text" must be a string`);
      if (o.id !== undefined && typeof o.id !== 'string' && typeof o.id !== 'number')
        throw new UsageError(`${where}: "id" must be a string or a number`);
      if (o.query !== undefined && typeof o.query !== 'string')
        throw new UsageError(`${where}: "query" must be a string`);
      const id = o.id === undefined ? `line-${n}` : String(o.id);
      if (id === '' || id.length > MAX_ID_CHARS || /[\r\n]/.test(id))
        throw new UsageError(`${where}: an id is one line of 1 to ${MAX_ID_CHARS} characters`);
      const text = normalizeText(o.text);
      docs.push({ id, ...(o.query !== undefined && { query: o.query as string }), text: () => text });
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `cannot read --inputs ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  return docs;
}
