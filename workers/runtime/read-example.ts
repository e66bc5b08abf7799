/** Node only: an example plan of public/examples/ (a task family's template), as JSON. */
import { readFileSync } from 'node:fs';

const examples = new URL('../../public/examples/', import.meta.url);

export function readExampleFile(file: string): unknown {
  // The file name comes from the families' table, never from a user: still, no path may leave the folder.
  if (!/^[a-z0-9-]+\.json$/.test(file)) throw new Error(`not an example file name: ${file}`);
  return JSON.parse(readFileSync(new URL(file, examples), 'utf8'));
}
