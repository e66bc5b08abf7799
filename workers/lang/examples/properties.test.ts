/**
 * The examples on documents and questions they were not written for: every example, over many generated
 * variants (sizes from a few hundred to 24K tokens, windows from 1K to 8K tokens, any layout, script and
 * depth of the fact), run against the scripted test model given the sample's ground truth. Each run must
 * give the right answer (by the family's scorer), make no more calls than the planner's N̂, and send no
 * prompt over the model's window as the model itself counts it.
 *
 * Multi-document QA gathers notes from every piece into one last call, whose prompt grows with the number
 * of pieces: on a small window and a long document the planner refuses it before any call, on the node
 * and with the sizes. That is the one other outcome allowed, and only below a 4,096-token window.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlanCheckError } from '../run/evaluator.ts';
import type { Layout, Script } from '../samples/index.ts';
import { loadExamples } from '../testing/examples.ts';
import { explain, runExample } from '../testing/run-example.ts';

const examples = loadExamples();

const layout = fc.record({
  newline: fc.constantFrom<Layout['newline']>('\n', '\r\n'),
  separator: fc.constantFrom<Layout['separator']>('blank', 'single', 'none'),
});

describe('every example, on many generated variants', () => {
  for (const ex of examples) {
    it(`${ex.file}: the right answer, calls ≤ N̂, every prompt within its window`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 1_000_000 }),
          fc.integer({ min: 150, max: 24_000 }),
          fc.constantFrom(1024, 2048, 4096, 8192),
          fc.option(layout, { nil: undefined }),
          fc.option(fc.constantFrom<Script>('latin', 'cjk', 'mixed'), { nil: undefined }),
          fc.option(fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })), {
            nil: undefined,
          }),
          fc.boolean(),
          fc.constantFrom('vllm', 'llama.cpp', 'count') as fc.Arbitrary<'vllm' | 'llama.cpp' | 'count'>,
          fc.integer({ min: 1, max: 6 }),
          async (
            seed,
            tokens,
            contextWindow,
            givenLayout,
            script,
            at,
            shareTokenizer,
            server,
            concurrency,
          ) => {
            const sample = ex.generator.generate({
              tokens,
              seed,
              ...(givenLayout ? { layout: givenLayout } : {}),
              ...(script ? { script } : {}),
              ...(at !== undefined ? { at } : {}),
            });
            // The model's window errors as vLLM's or llama.cpp's, or it counts prompts itself (a tokenize endpoint).
            const run = await runExample(ex, sample, {
              contextWindow,
              shareTokenizer,
              concurrency,
              ...(server === 'count' ? { countTokens: true } : { contextErrors: server }),
            }).catch((error: unknown) => {
              const refused =
                error instanceof PlanCheckError &&
                ex.file === 'multidoc-qa.json' &&
                contextWindow < 4096 &&
                error.diagnostics.every((d) => d.code === 'leaf-window' && d.nodeId === 'answer');
              if (refused) return undefined;
              throw error;
            });
            if (!run) return;
            const why = explain(run);
            expect(run.outcome.error, why).toBeUndefined();
            expect(run.score, why).toBe(1);
            expect(run.outcome.totals.leafCalls, why).toBeLessThanOrEqual(run.predictedCalls);
            expect(run.oversize, why).toEqual([]);
            expect(run.model.bases).not.toContain('too-long');
          },
        ),
        { numRuns: 30 },
      );
    }, 180_000);
  }
});
