import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../lang/index.ts';
import { createRedactor } from './redact-events.ts';

const KEY = 'sk-split-0123456789abcdef';
const delta = (callId: string, text: string, seq: number): TraceEvent => ({
  type: 'leaf.delta',
  runId: 'r',
  seq,
  t: seq,
  callId,
  text,
});

describe('createRedactor', () => {
  it('a key streamed over several deltas never shows, in any cut', () => {
    const reply = `The key you sent me is ${KEY}, and again ${KEY}.`;
    for (let size = 1; size <= 12; size++) {
      const r = createRedactor([KEY]);
      let shown = '';
      for (let i = 0; i * size < reply.length; i++) {
        const e = r.event(delta('c1', reply.slice(i * size, (i + 1) * size), i));
        shown += (e as { text: string }).text;
        // At no point does what has been shown hold the key, nor its end after its beginning was replaced.
        expect(shown).not.toContain(KEY);
        expect(shown).not.toMatch(/9abcdef/);
      }
      expect(shown).toContain('[redacted]');
      expect(shown.startsWith('The key you sent me is [redacted], and again [redacted]')).toBe(true);
    }
  });

  it('ordinary text passes unchanged and unheld; other events are redacted whole', () => {
    const r = createRedactor([KEY, undefined, 'short']);
    expect((r.event(delta('c1', 'sk-', 0)) as { text: string }).text).toBe('');
    expect((r.event(delta('c1', 'ip the rest', 1)) as { text: string }).text).toBe('sk-ip the rest');
    const done = r.event({
      type: 'leaf.done',
      runId: 'r',
      seq: 2,
      t: 2,
      callId: 'c1',
      text: `x ${KEY}`,
      promptTokens: 1,
      completionTokens: 1,
      ms: 1,
      cached: false,
      retries: 0,
      finishReason: 'stop',
    });
    expect((done as { text: string }).text).toBe('x [redacted]');
    expect(r.value({ message: `echo ${KEY}` })).toEqual({ message: 'echo [redacted]' });
  });

  it('without a usable secret it changes nothing', () => {
    const r = createRedactor([undefined, 'short']);
    const e = delta('c', 'anything', 0);
    expect(r.event(e)).toBe(e);
  });
});
