import { readFileSync, statSync } from 'node:fs';
import { decodeText, MAX_INPUT_BYTES } from '../workers/lang/index.ts';
import { UsageError } from './io.ts';

/**
 * The document of `--input`, read as the page reads an opened file: sized before it is read, decoded
 * (UTF-8 or UTF-16, a BOM dropped) and its line endings made `\n`, or refused with what to do.
 */
export function readInputFile(path: string, flag = '--input'): string {
  let bytes: Uint8Array;
  try {
    const size = statSync(path).size;
    if (size > MAX_INPUT_BYTES) {
      throw new UsageError(
        `${flag} ${path} is ${(size / 1024 / 1024).toFixed(0)} MB; the largest input is ${MAX_INPUT_BYTES / 1024 / 1024} MB`,
      );
    }
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `cannot read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const decoded = decodeText(bytes, `${flag} ${path}`);
  if (!decoded.ok) throw new UsageError(decoded.error);
  return decoded.text;
}
