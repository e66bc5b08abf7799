import { describe, expect, it } from 'vitest';
import { redactSecrets } from './secrets.ts';

const KEY = 'sk-proj-7f3aQ9xLm2Rt8vBn4Kp1';

describe('redactSecrets', () => {
  it('replaces a secret wherever it occurs, in keys and values, and counts it', () => {
    const { value, count } = redactSecrets({ a: `Bearer ${KEY}`, [KEY]: [KEY, 'ok'] }, [KEY]);
    expect(value).toEqual({ a: 'Bearer [redacted]', '[redacted]': ['[redacted]', 'ok'] });
    expect(count).toBe(3);
  });

  it('replaces what a display cut short leaves of a secret, from its start or its end', () => {
    const cutHead = `key ${KEY.slice(0, 14)}…`;
    const cutTail = `…${KEY.slice(-13)} was refused`;
    expect(redactSecrets([cutHead, cutTail], [KEY]).value).toEqual([
      'key [redacted]…',
      '…[redacted] was refused',
    ]);
  });

  it('leaves short shared words alone: a secret that begins like a model name does not mangle it', () => {
    // A header value such as a project name is a secret too; its first eight letters are an ordinary word.
    const { value, count } = redactSecrets('api:fixpoint-scripted', ['fixpoint-tests']);
    expect(value).toBe('api:fixpoint-scripted');
    expect(count).toBe(0);
  });

  it('ignores secrets too short to be keys', () => {
    expect(redactSecrets('a b c', ['a']).value).toBe('a b c');
  });
});
