import { describe, expect, it } from 'vitest';
import { inputText, setInputText, spanWindow, useInput } from './input.ts';

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
});
