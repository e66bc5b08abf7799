/**
 * Text as it enters Fixpoint (a file opened in the page or by the CLI, a paste, the worker's `putInput`),
 * normalised once on the way in so that nothing downstream meets a byte-order mark, UTF-16, or a line
 * ending other than `\n`. Splitting by lines or records, `\n\n` between documents, spans into P: all of it
 * assumes this. Text is either decoded correctly or refused with a sentence that says why and what to do;
 * never guessed into the wrong characters.
 */

/** Largest input document read, in bytes (the page and the CLI); past it a page would hold several copies. */
export const MAX_INPUT_BYTES = 200 * 1024 * 1024;

export type DecodedText =
  | { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' }
  /** `error` is a sentence naming the file; `what` the same after "is" (`not UTF-8 text (…)…`). */
  | { ok: false; error: string; what: string };

function refuse(name: string, what: string): DecodedText {
  return { ok: false, error: `${name} is ${what}`, what };
}

/** The text with a leading byte-order mark dropped and CRLF and lone CR line endings turned into LF. */
export function normalizeText(text: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
}

/**
 * Bytes of a text file as normalised text. UTF-8 (with or without a BOM) and UTF-16 (with a BOM, or
 * recognised by its zero bytes) are decoded; UTF-32, text that is not valid UTF-8 and binary files are
 * refused. `name` is how the file is called in messages.
 */
export function decodeText(bytes: Uint8Array, name = 'The file'): DecodedText {
  const b = bytes;
  if (
    b.length >= 4 &&
    ((b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) ||
      (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff))
  ) {
    return refuse(name, 'UTF-32 text, which Fixpoint does not read: save it as UTF-8.');
  }
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
  let sniffed = false;
  let body = b;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) body = b.subarray(3);
  else if (b[0] === 0xff && b[1] === 0xfe) [encoding, body] = ['utf-16le', b.subarray(2)];
  else if (b[0] === 0xfe && b[1] === 0xff) [encoding, body] = ['utf-16be', b.subarray(2)];
  else {
    const guess = sniffUtf16(b);
    if (guess) [encoding, sniffed] = [guess, true];
  }

  let text: string;
  if (encoding === 'utf-8') {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      const at = firstInvalidUtf8(body);
      const byte = (body[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
      return refuse(
        name,
        `not UTF-8 text (byte 0x${byte} at position ${at.toLocaleString('en')} is not valid UTF-8). It may be Latin-1 or Windows-1252: save it as UTF-8 and open it again.`,
      );
    }
  } else {
    if (body.length % 2 === 1) body = body.subarray(0, body.length - 1);
    try {
      text = new TextDecoder('utf-16le', { fatal: true }).decode(
        encoding === 'utf-16le' ? body : swapBytes(body),
      );
    } catch {
      return refuse(name, 'UTF-16 text that is not valid UTF-16: save it as UTF-8.');
    }
    // Guessed from zero bytes alone, UTF-16 must also read as text; binary data is refused as such below.
    if (sniffed && hasControls(text.slice(0, 2048))) {
      return refuse(name, 'a binary file, not text.');
    }
  }
  if (text.includes('\u0000')) {
    return refuse(name, 'a binary file, not text.');
  }
  return { ok: true, text: normalizeText(text), encoding };
}

/** Whether `text` holds control characters text does not (tab, line feeds, carriage return, escape aside). */
function hasControls(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && (c < 0x09 || (c > 0x0d && c !== 0x1b))) return true;
  }
  return false;
}

/**
 * UTF-16 without a BOM, from the first bytes: text in Latin scripts has a zero byte in every other place
 * (odd places in little-endian, even in big-endian), and UTF-8 text never has zero bytes.
 */
function sniffUtf16(b: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(b.length, 4096) & ~1;
  // Too few bytes to tell text from binary by their zeros.
  if (n < 16) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return undefined;
}

function swapBytes(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i + 1 < b.length; i += 2) {
    out[i] = b[i + 1] as number;
    out[i + 1] = b[i] as number;
  }
  return out;
}

/** Where UTF-8 decoding first fails (only called once it has failed, for the message). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    const need =
      c < 0x80
        ? 0
        : c >= 0xc2 && c <= 0xdf
          ? 1
          : c >= 0xe0 && c <= 0xef
            ? 2
            : c >= 0xf0 && c <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const cont = b[i + k];
      if (cont === undefined || (cont & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return Math.max(0, b.length - 1);
}
