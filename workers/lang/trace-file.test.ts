import { describe, expect, it } from 'vitest';
import { syntheticLog } from '../../test/synthetic-log.ts';
import { parseTrace, serializeTrace } from './trace-file.ts';

describe('trace file', () => {
  const log = syntheticLog({ k: 3, depth: 2, deltas: true, failLeaves: new Set([1]) });

  it('round-trips a log through JSON Lines', () => {
    const text = serializeTrace(log);
    expect(text.split('\n').filter(Boolean)).toHaveLength(log.length);
    const back = parseTrace(text);
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.events).toEqual(JSON.parse(JSON.stringify(log)));
  });

  it('names the line of a malformed event', () => {
    const lines = serializeTrace(log).split('\n');
    lines[3] = '{"type":"call.start","runId":"x"';
    const r = parseTrace(lines.join('\n'));
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^line 4: not valid JSON/) });
  });

  it('refuses unknown kinds, __proto__ keys, logs without run.start and mixed runs', () => {
    const lines = serializeTrace(log).split('\n');
    const unknown = [...lines];
    unknown[2] = JSON.stringify({ ...log[2], type: 'eval.code' });
    expect(parseTrace(unknown.join('\n')).ok).toBe(false);
    const proto = [...lines];
    proto[2] = proto[2]!.replace('{', '{"__proto__":{"x":1},');
    expect(parseTrace(proto.join('\n'))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/__proto__/),
    });
    expect(parseTrace(lines.slice(1).join('\n'))).toMatchObject({
      ok: false,
      error: /starts with run.start/,
    });
    const mixed = [...lines];
    mixed[2] = JSON.stringify({ ...log[2], runId: 'other' });
    expect(parseTrace(mixed.join('\n'))).toMatchObject({ ok: false, error: /run other/ });
    expect(parseTrace('')).toMatchObject({ ok: false });
  });

  it('refuses events out of order', () => {
    const swapped = [log[0]!, log[2]!, log[1]!, ...log.slice(3)];
    expect(parseTrace(serializeTrace(swapped))).toMatchObject({ ok: false, error: /seq/ });
  });
});
