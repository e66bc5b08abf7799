import { describe, expect, it } from 'vitest';
import { inputText, openInputFile, setInputText, spanWindow, useInput } from './input.ts';

describe('input document', () => {
  it('keeps the text out of the store and counts characters and tokens', () => {
    setInputText('x'.repeat(1000), 'paste');
    const { meta } = useInput.getState();
    expect(meta.chars).toBe(1000);
    expect(meta.tokens).toBe(250);
    expect(JSON.stringify(useInput.getState())).not.toContain('xxxx');
    expect(inputText()).toHaveLength(1000);
  });

  it('shows a window around a span and trims a long span in the middle', () => {
    setInputText(`${'a'.repeat(500)}${'b'.repeat(5000)}${'c'.repeat(500)}`, 'paste');
    const w = spanWindow(500, 5500, 100, 1000)!;
    expect(w.before).toBe('a'.repeat(100));
    expect(w.spanHead).toBe('b'.repeat(500));
    expect(w.spanTail).toBe('b'.repeat(500));
    expect(w.omitted).toBe(4000);
    expect(w.after).toBe('c'.repeat(100));
    expect(spanWindow(0, 10_000)).toBeNull();
  });

  it('a file opened is decoded and normalised once: UTF-16 with a BOM and CRLF read as UTF-8 with LF', async () => {
    const original = 'Record 1\ncafé\n\nRecord 2\n東京\n';
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(original.replace(/\n/g, '\r\n'), 'utf16le'),
    ]);
    await openInputFile(new File([utf16], 'notes.txt'));
    expect(useInput.getState().error).toBeNull();
    expect(inputText()).toBe(original);
    expect(useInput.getState().meta).toMatchObject({
      source: 'file',
      name: 'notes.txt',
      chars: original.length,
    });
  });

  it('a file that is not text in a known encoding is refused, and the document kept', async () => {
    setInputText('kept', 'paste');
    await openInputFile(new File([Buffer.from('caf\xe9', 'latin1')], 'latin1.txt'));
    expect(useInput.getState().error).toMatch(/^latin1\.txt is not UTF-8 text/);
    expect(inputText()).toBe('kept');
  });

  it('pasted text with CR line endings becomes LF', () => {
    setInputText('a\rb\r\nc', 'paste');
    expect(inputText()).toBe('a\nb\nc');
  });
});
