import { describe, expect, it } from 'vitest';
import type { EndpointStats } from './endpoint-pool.ts';
import { endpointLines, endpointNotice } from './endpoint-report.ts';

const stat = (over: Partial<EndpointStats>): EndpointStats => ({
  url: 'http://gpu-1:8000/v1',
  model: 'qwen3-8b',
  weight: 1,
  concurrency: 4,
  sent: 10,
  answered: 10,
  rateLimited: 0,
  failed: 0,
  movedAway: 0,
  state: 'up',
  limits: {},
  window: 4,
  peakInFlight: 4,
  ...over,
});

describe('endpoint report', () => {
  it('says nothing of a single endpoint that simply answered', () => {
    expect(endpointNotice([stat({})])).toBeNull();
    expect(endpointLines([stat({})])).toEqual([]);
  });

  it('tells the spread, an endpoint that went away, and the 429s waited out', () => {
    const stats = [
      stat({ answered: 30, rateLimited: 2, limits: { requests: 60 } }),
      stat({
        url: 'http://gpu-2:8000/v1',
        answered: 5,
        failed: 4,
        movedAway: 4,
        state: 'down',
        reason: 'http://gpu-2:8000/v1 reset the connection (ECONNRESET)',
      }),
    ];
    expect(endpointNotice(stats)).toBe(
      'Leaves spread over 2 endpoints: 30 + 5 answered. Endpoint 2 (http://gpu-2:8000/v1) stopped answering; 4 of its requests went to the others. 2 requests were rate-limited (429), waited out and sent again.',
    );
    expect(endpointLines(stats)).toEqual([
      'endpoint 1 http://gpu-1:8000/v1 (qwen3-8b): 30 answered, 2 rate-limited (429), rate limits 60 requests',
      'endpoint 2 http://gpu-2:8000/v1 (qwen3-8b): 5 answered, 4 failed, 4 moved to other endpoints, down: http://gpu-2:8000/v1 reset the connection (ECONNRESET)',
    ]);
  });
});
