import type { ConnectionReport } from '../../../workers/models/index.ts';

type Shown = Pick<ConnectionReport, 'ok' | 'message'> &
  Partial<Pick<ConnectionReport, 'verdict' | 'checks' | 'models'>>;

const MODELS: Record<ConnectionReport['checks']['models'], [string, 'ok' | 'warn' | 'bad' | 'none']> = {
  listed: ['lists its models', 'ok'],
  absent: ['not offered by this server', 'none'],
  blocked: ['blocked for this page (CORS)', 'warn'],
  unanswered: ['no answer', 'bad'],
  failed: ['failed', 'bad'],
};
const CHAT: Record<ConnectionReport['checks']['chat'], [string, 'ok' | 'warn' | 'bad' | 'none']> = {
  works: ['works', 'ok'],
  blocked: ['blocked for this page (CORS)', 'bad'],
  unanswered: ['no answer', 'bad'],
  failed: ['failed', 'bad'],
  skipped: ['not tried', 'none'],
};
const MARK = { ok: '✓', warn: '⚠', bad: '✗', none: '–' } as const;

/**
 * The outcome of "Test connection": one sentence, then the three things it checked (is the server there, may
 * this page read /models, may it chat), so "unreachable", "/models blocked" and "chat works" read apart.
 */
export function ConnectionReportView({ report }: { report: Shown }) {
  const c = report.checks;
  const rows: { id: string; label: string; state: keyof typeof MARK; text: string }[] = c
    ? [
        {
          id: 'reachable',
          label: 'Server',
          state: c.reachable === null ? 'none' : c.reachable ? 'ok' : 'bad',
          text: c.reachable === null ? 'not known' : c.reachable ? 'reachable' : 'unreachable',
        },
        {
          id: 'models',
          label: 'Model list (/models)',
          state: MODELS[c.models][1],
          text:
            c.models === 'listed'
              ? `${report.models?.length ?? 0} model${report.models?.length === 1 ? '' : 's'}`
              : MODELS[c.models][0],
        },
        {
          id: 'chat',
          label: 'Chat (/chat/completions)',
          state: CHAT[c.chat][1],
          text: c.chat === 'works' && c.reply ? `works, answered “${c.reply}”` : CHAT[c.chat][0],
        },
      ]
    : [];
  return (
    <div
      role={report.ok ? 'status' : 'alert'}
      className={report.ok ? 'connection-report ok' : 'connection-report trouble'}
      data-testid="api-report"
      data-verdict={report.verdict ?? 'failed'}
    >
      <p>{report.message}</p>
      {rows.length > 0 && (
        <ul className="connection-checks" aria-label="What was checked">
          {rows.map((r) => (
            <li key={r.id} data-check={r.id} data-state={r.state} className={`check-${r.state}`}>
              <span aria-hidden="true">{MARK[r.state]}</span> {r.label}: {r.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
