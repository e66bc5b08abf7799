/**
 * Encoding fixtures (fixtures/encodings/): one document saved as editors and systems save it. Each is
 * decoded to the same text as the UTF-8, LF original, or refused with a sentence that says what to do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeText, normalizeText } from './input-text.ts';
import { readPlanJson } from './plan-file.ts';

const DIR = new URL('./fixtures/encodings/', import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR)));
const source = readFileSync(new URL('source.txt', DIR), 'utf8');

describe('text enters normalised', () => {
  const decoded: [string, string][] = [
    ['utf8-crlf.txt', 'utf-8'],
    ['utf8-cr.txt', 'utf-8'],
    ['utf8-bom-crlf.txt', 'utf-8'],
    ['utf16le-bom-crlf.txt', 'utf-16le'],
    ['utf16be-bom.txt', 'utf-16be'],
    ['utf16le-no-bom.txt', 'utf-16le'],
    ['utf16be-no-bom-cr.txt', 'utf-16be'],
  ];
  for (const [file, encoding] of decoded) {
    it(`${file} reads as the original (${encoding}, LF line endings)`, () => {
      const r = decodeText(bytes(file), file);
      expect(r).toEqual({ ok: true, text: source, encoding });
      // Records stay apart: the blank line between them survives every line-ending convention.
      expect(r.ok && r.text.split('\n\n')).toHaveLength(3);
    });
  }

  it('every fixture in the folder is covered', () => {
    const files = readdirSync(DIR).filter((f) => !f.startsWith('.'));
    const covered = new Set([
      ...decoded.map(([f]) => f),
      'source.txt',
      'latin1.txt',
      'utf32le-bom.txt',
      'binary.bin',
    ]);
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
  });

  it('refuses what it cannot read as text, saying why and what to do', () => {
    const latin1 = decodeText(bytes('latin1.txt'), 'notes.txt');
    expect(latin1).toMatchObject({ ok: false });
    expect(latin1.ok ? '' : latin1.error).toMatch(
      /^notes\.txt is not UTF-8 text \(byte 0xE9 at position 16 is not valid UTF-8\)\. It may be Latin-1 .*save it as UTF-8/,
    );
    expect(decodeText(bytes('utf32le-bom.txt'), 'x')).toMatchObject({ ok: false, error: /UTF-32/ });
    expect(decodeText(bytes('binary.bin'), 'x')).toMatchObject({ ok: false });
    // Zero bytes in every other place are not enough to call binary data UTF-16.
    expect(decodeText(new Uint8Array([0x50, 0x00, 0x01, 0x02]), 'x')).toMatchObject({
      ok: false,
      what: /binary/,
    });
    const pairs = new Uint8Array(64).map((_, i) => (i % 2 ? 0 : (i % 7) + 1));
    expect(decodeText(pairs, 'x')).toMatchObject({ ok: false, what: /binary/ });
  });

  it('normalizeText: BOM, CRLF, lone CR; LF text is returned as it is', () => {
    expect(normalizeText('\uFEFFa\r\nb\rc\n\r\nd')).toBe('a\nb\nc\n\nd');
    const lf = 'a\nb';
    expect(normalizeText(lf)).toBe(lf);
    expect(normalizeText('')).toBe('');
  });

  it('plan files: a BOM, UTF-16 and CRLF are read by the one reader the page and the CLI share', () => {
    const plan = '{\r\n  "format": "fixpoint/plan",\r\n  "version": 1\r\n}\r\n';
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(plan, 'utf16le'))]);
    for (const content of [`\uFEFF${plan}`, new TextEncoder().encode(`\uFEFF${plan}`), utf16]) {
      expect(readPlanJson(content)).toEqual({ ok: true, value: { format: 'fixpoint/plan', version: 1 } });
    }
    const latin1 = readPlanJson(new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    expect(latin1.ok ? '' : latin1.error).toMatch(/^not UTF-8 text/);
  });
});
