import { describe, expect, it } from 'vitest';
import { estimateTokenizer } from '../lang/index.ts';
import { CALIBRATION_SAMPLES, calibratedTokenizer, measureSamples } from './calibrated-tokenizer.ts';

const est = (t: string) => estimateTokenizer.count(t);

describe('calibratedTokenizer', () => {
  it('scales the estimate by the largest ratio the model measured, with a margin', () => {
    // A model that counts every sample at 70% of the estimate, but numbers at 90%.
    const measured = CALIBRATION_SAMPLES.map((s, i) => Math.round(est(s) * (i === 2 ? 0.9 : 0.7)));
    const t = calibratedTokenizer('qwen', CALIBRATION_SAMPLES, measured);
    const text = 'The harbour master had chosen a number. '.repeat(50);
    expect(t.count(text)).toBeGreaterThanOrEqual(Math.floor(est(text) * 0.9));
    expect(t.count(text)).toBeLessThan(est(text));
    expect(t.name).toMatch(/^qwen: the estimate ×0\.9\d, measured on the model$/);
  });

  it('counts higher than the estimate for a vocabulary that splits finer (a byte-level one)', () => {
    const bytes = CALIBRATION_SAMPLES.map((s) => new TextEncoder().encode(s).length);
    const t = calibratedTokenizer('tiny.gguf', CALIBRATION_SAMPLES, bytes);
    for (const s of CALIBRATION_SAMPLES)
      expect(t.count(s)).toBeGreaterThanOrEqual(new TextEncoder().encode(s).length);
  });

  it('is the estimate itself without any count', () => {
    expect(calibratedTokenizer('m', CALIBRATION_SAMPLES, [0, 0, 0, 0])).toBe(estimateTokenizer);
    expect(calibratedTokenizer('m', CALIBRATION_SAMPLES, [])).toBe(estimateTokenizer);
  });

  it('measures what it can and gives up on a sample that fails or hangs', async () => {
    const counts = await measureSamples(
      async (text) => {
        if (text.startsWith('function')) throw new Error('no');
        if (text.startsWith('Order')) return new Promise<number>(() => {});
        return text.length;
      },
      CALIBRATION_SAMPLES,
      20,
    );
    expect(counts[0]).toBe(CALIBRATION_SAMPLES[0]?.length);
    expect(counts[2]).toBe(0);
    expect(counts[3]).toBe(0);
  });
});
