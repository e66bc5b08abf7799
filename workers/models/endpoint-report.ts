/**
 * What the endpoints of a run did, in words: a line per endpoint for `fixpoint run`'s summary, one sentence
 * for the page's run notice. From the pool's stats (endpoint-pool.ts): URLs without query strings, never a key.
 */
import type { EndpointStats } from './endpoint-pool.ts';

const hasLimits = (s: EndpointStats) => s.limits.requests !== undefined || s.limits.tokens !== undefined;

/** One line per endpoint when there was more than one, or one had rate limits, was rate-limited, down or out. */
export function endpointLines(stats: readonly EndpointStats[]): string[] {
  const eventful = stats.some((s) => s.rateLimited > 0 || s.state !== 'up' || hasLimits(s));
  if (stats.length < 2 && !eventful) return [];
  return stats.map((s, i) => {
    const limits = [
      s.limits.requests !== undefined ? `${s.limits.requests} requests` : '',
      s.limits.tokens !== undefined ? `${s.limits.tokens} tokens` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const parts = [
      `${s.answered} answered`,
      s.rateLimited > 0 ? `${s.rateLimited} rate-limited (429)` : '',
      s.failed > 0 ? `${s.failed} failed` : '',
      s.movedAway > 0 ? `${s.movedAway} moved to other endpoints` : '',
      limits ? `rate limits ${limits}` : '',
      s.state === 'up' ? '' : `${s.state}: ${s.reason ?? ''}`,
    ].filter(Boolean);
    return `endpoint ${i + 1} ${s.url} (${s.model}): ${parts.join(', ')}`;
  });
}

/**
 * One sentence for the run panel: how the leaves were spread, which endpoint went away or was left out, and
 * how many 429s were waited out. Null when a single endpoint simply answered.
 */
export function endpointNotice(stats: readonly EndpointStats[]): string | null {
  const name = (i: number) => `endpoint ${i + 1} (${stats[i]!.url})`;
  const parts: string[] = [];
  if (stats.length > 1)
    parts.push(
      `Leaves spread over ${stats.length} endpoints: ${stats.map((s) => s.answered).join(' + ')} answered.`,
    );
  stats.forEach((s, i) => {
    if (s.state === 'down')
      parts.push(
        `${cap(name(i))} stopped answering${s.movedAway > 0 ? `; ${s.movedAway} of its requests went to the others` : ''}.`,
      );
    if (s.state === 'out')
      parts.push(`${cap(name(i))} was left out: ${s.reason ?? 'it cannot serve this model'}`);
  });
  const limited = stats.reduce((n, s) => n + s.rateLimited, 0);
  if (limited > 0)
    parts.push(
      `${limited} request${limited === 1 ? ' was' : 's were'} rate-limited (429), waited out and sent again.`,
    );
  return parts.length > 0 ? parts.join(' ') : null;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
