import { describe, expect, it } from 'vitest';
import { CALIBRATION_TEXT, calibratedTokenizer } from './calibrated-tokenizer.ts';

describe('calibratedTokenizer', () => {
  it('counts by the measured ratio with a safety margin', () => {
    // A BPE model: about 4.4 characters a token on the sample.
    const bpe = calibratedTokenizer('qwen.gguf', CALIBRATION_TEXT, Math.round(CALIBRATION_TEXT.length / 4.4));
    const text = 'x'.repeat(4400);
    expect(bpe.count(text)).toBeGreaterThan(1000);
    expect(bpe.count(text)).toBeLessThanOrEqual(1110);
    expect(bpe.name).toMatch(/^qwen\.gguf: measured, 4\.\d\d characters a token$/);
  });

  it('sees a byte-level vocabulary for what it is: about a token a character', () => {
    const bytes = calibratedTokenizer('tiny.gguf', CALIBRATION_TEXT, CALIBRATION_TEXT.length);
    expect(bytes.count('a'.repeat(1000))).toBeGreaterThanOrEqual(1100);
  });

  it('falls back to a token a character without a count, and never below half a character', () => {
    expect(calibratedTokenizer('m', CALIBRATION_TEXT, 0).count('abcd')).toBeGreaterThanOrEqual(4);
    expect(calibratedTokenizer('m', 'ab', 1000).count('abcd')).toBe(8);
  });
});
