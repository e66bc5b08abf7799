import { describe, expect, it } from 'vitest';
import { syntheticLog } from '../../../test/synthetic-log.ts';
import { REDACTED } from './secrets.ts';
import { exportTrace, parseTrace, serializeTrace } from './trace-file.ts';

describe('trace file', () => {
  const log = syntheticLog({ k: 3, depth: 2, deltas: true, failLeaves: new Set([1]) });

  it('round-trips a log through JSON Lines', () => {
    const text = serializeTrace(log);
    expect(text.split('\n').filter(Boolean)).toHaveLength(log.length);
    const back = parseTrace(text);
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.events).toEqual(JSON.parse(JSON.stringify(log)));
  });

  it('keeps the nodes a run from a node refreshed, and refuses a malformed list of them', () => {
    const start = { ...log[0]!, refreshNodes: ['answer', 'output'] } as (typeof log)[number];
    const back = parseTrace(serializeTrace([start, ...log.slice(1)]));
    expect(back.ok && back.events[0]).toMatchObject({
      type: 'run.start',
      refreshNodes: ['answer', 'output'],
    });
    const bad = { ...log[0]!, refreshNodes: [7] } as unknown as (typeof log)[number];
    expect(parseTrace(serializeTrace([bad, ...log.slice(1)])).ok).toBe(false);
  });

  it('names the line of a malformed event', () => {
    const lines = serializeTrace(log).split('\n');
    lines[3] = '{"type":"call.start","runId":"x"';
    const r = parseTrace(lines.join('\n'));
    expect(r).toEqual({ ok: false, line: 4, error: expect.stringMatching(/^line 4: not valid JSON/) });
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

describe('trace file: the log must hang together, and secrets never leave', () => {
  const log = syntheticLog({ k: 2, depth: 2, deltas: true });
  const lines = () => serializeTrace(log).trimEnd().split('\n');
  const edit = (i: number, patch: Record<string, unknown>) => {
    const l = lines();
    l[i] = JSON.stringify({ ...JSON.parse(l[i]!), ...patch });
    return l.join('\n');
  };

  it('says whether the run finished', () => {
    expect(parseTrace(serializeTrace(log))).toMatchObject({ ok: true, complete: true });
    expect(parseTrace(serializeTrace(log.slice(0, 9)))).toMatchObject({ ok: true, complete: false });
  });

  it('refuses calls that never started, started twice, unknown parents and events after run.done', () => {
    const leafDone = log.findIndex((e) => e.type === 'leaf.done');
    expect(parseTrace(edit(leafDone, { callId: 'ghost' }))).toMatchObject({
      line: leafDone + 1,
      error: /leaf.done for call ghost, which has not started/,
    });
    const second = log.findIndex((e, i) => i > 1 && e.type === 'call.start');
    expect(parseTrace(edit(second, { parentId: 'nobody' }))).toMatchObject({ error: /parent nobody/ });
    expect(parseTrace(edit(second, { callId: 'c0' }))).toMatchObject({ error: /call c0 starts twice/ });
    const after = [...lines(), JSON.stringify({ ...log[1], seq: 10_000 })].join('\n');
    expect(parseTrace(after)).toMatchObject({ error: /after run.done/ });
  });

  it('names the unknown kind and lists the known ones; refuses bad spans and an invalid plan', () => {
    expect(parseTrace(edit(1, { type: 'eval' }))).toMatchObject({
      line: 2,
      error: /unknown type "eval" \(known: run.start/,
    });
    const start = log.findIndex((e) => e.type === 'call.start');
    expect(parseTrace(edit(start, { span: [9, 3] }))).toMatchObject({ error: /from ≤ to/ });
    const plan = { ...(log[0] as { plan: object }).plan, nodes: [{ id: 'x', kind: 'Shell' }] };
    expect(parseTrace(edit(0, { plan }))).toMatchObject({ line: 1, error: /the run's plan is not valid/ });
  });

  it('exports with every secret redacted, and the export reads back', () => {
    const key = 'sk-trace-0123456789abcdef';
    const leaky = log.map((e) =>
      e.type === 'leaf.done'
        ? { ...e, text: `the key is ${key}` }
        : e.type === 'run.start'
          ? { ...e, query: key }
          : e,
    );
    const { text, redacted } = exportTrace(leaky, { secrets: [key] });
    expect(text).not.toContain(key);
    expect(redacted).toBe(leaky.filter((e) => e.type === 'leaf.done').length + 1);
    const back = parseTrace(text);
    expect(back.ok && back.events.length).toBe(log.length);
    expect(text).toContain(REDACTED);
  });
});
