import { describe, expect, it } from 'vitest';
import { nodeRunStatus } from './NodeRunBadge.tsx';

describe('nodeRunStatus', () => {
  const c = { started: 4, running: 0, done: 4, cached: 0, errors: 0, cost: 0 };
  it('running wins, then failures, then all-cached', () => {
    expect(nodeRunStatus({ ...c, running: 1, errors: 1 })).toBe('running');
    expect(nodeRunStatus({ ...c, errors: 1 })).toBe('error');
    expect(nodeRunStatus({ ...c, cached: 4 })).toBe('cached');
    expect(nodeRunStatus({ ...c, cached: 2 })).toBe('done');
  });
});
