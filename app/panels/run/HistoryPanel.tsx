/**
 * The runs of this session: view one, replay it at a chosen speed, export its log (as `.jsonl`, or as
 * OpenTelemetry spans for a tracing tool); import a log.
 */
import { memo, useRef, useState } from 'react';
import {
  pauseReplay,
  type RunRecord,
  setReplaySpeed,
  startReplay,
  stopReplay,
  useRunSession,
  viewRun,
} from '../../store/runSession.ts';
import { duration, int, money } from '../../trace/format.ts';
import { downloadLog, importLogFile } from './logFile.ts';
import { downloadOtlp } from './otlpFile.ts';

export const REPLAY_SPEEDS: { label: string; value: number }[] = [
  { label: '0.5×', value: 0.5 },
  { label: '1×', value: 1 },
  { label: '2×', value: 2 },
  { label: '5×', value: 5 },
  { label: '20×', value: 20 },
  { label: 'instant', value: Number.POSITIVE_INFINITY },
];

const statusText = { idle: 'empty', running: 'running', done: 'done', failed: 'failed', aborted: 'aborted' };

export function HistoryPanel() {
  const records = useRunSession((s) => s.records);
  const viewing = useRunSession((s) => s.viewing);
  const replay = useRunSession((s) => s.replay);
  const liveRunId = useRunSession((s) => s.liveRunId);
  const [speed, setSpeed] = useState(1);
  const [message, setMessage] = useState<Message | null>(null);
  const [otlpContent, setOtlpContent] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  return (
    <div className="history-panel">
      <div className="input-actions">
        <button type="button" onClick={() => fileRef.current?.click()}>
          Import run log…
        </button>
        <input
          ref={fileRef}
          type="file"
          hidden
          accept=".jsonl,.ndjson,application/x-ndjson"
          data-testid="import-log"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (!f) return;
            setMessage({ text: `Reading ${f.name}…`, error: false });
            const r = await importLogFile(f);
            setMessage(r.ok ? { text: `Imported ${f.name}.`, error: false } : { text: r.error, error: true });
          }}
        />
        <label>
          Replay speed{' '}
          <select
            value={speed}
            onChange={(e) => {
              const v = Number(e.target.value);
              setSpeed(v);
              setReplaySpeed(v);
            }}
            data-testid="replay-speed"
          >
            {REPLAY_SPEEDS.map((s) => (
              <option key={s.label} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label title="OpenTelemetry exports leave the prompts, the answers and the values out unless this is ticked">
          <input
            type="checkbox"
            checked={otlpContent}
            onChange={(e) => setOtlpContent(e.target.checked)}
            data-testid="otlp-content"
          />{' '}
          Prompts and outputs in OTLP exports
        </label>
        {replay && (
          <>
            <button type="button" onClick={() => pauseReplay(!replay.playing)}>
              {replay.playing ? 'Pause' : 'Resume'}
            </button>
            <button type="button" onClick={stopReplay}>
              Skip to end
            </button>
            <span className="muted" data-testid="replay-progress">
              replaying {duration(replay.t)}
            </span>
          </>
        )}
      </div>
      {message && (
        <p className={message.error ? 'error' : 'muted'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {records.length === 0 ? (
        <p className="muted">No runs yet in this session.</p>
      ) : (
        <ul className="history-list" aria-label="Runs of this session">
          {records.map((r) => (
            <HistoryRow
              key={r.runId}
              r={r}
              current={r.runId === viewing}
              running={r.runId === liveRunId}
              speed={speed}
              otlpContent={otlpContent}
              setMessage={setMessage}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

interface Message {
  text: string;
  error: boolean;
}

/**
 * One run in the list. Memoised on its record: a live batch makes a new record for the live run only, so
 * the other rows do not re-render while a run streams.
 */
const HistoryRow = memo(function HistoryRow({
  r,
  current,
  running,
  speed,
  otlpContent,
  setMessage,
}: {
  r: RunRecord;
  current: boolean;
  running: boolean;
  speed: number;
  otlpContent: boolean;
  setMessage: (m: Message | null) => void;
}) {
  return (
    <li className={current ? 'current' : undefined} data-testid="history-item">
      <button type="button" className="linklike" onClick={() => viewRun(r.runId)} aria-current={current}>
        {r.label}
      </button>
      <span className="muted">
        {' '}
        {new Date(r.startedAt).toLocaleTimeString()} · {r.origin === 'imported' ? 'imported · ' : ''}
        {running ? 'running' : statusText[r.final.status]} · {int(r.final.counters.calls)} calls
        {r.final.counters.cachedCalls > 0 ? ` (${int(r.final.counters.cachedCalls)} cached)` : ''} ·{' '}
        <span data-testid="history-cost">{money(r.final.counters.cost, r.final.price)}</span>
      </span>
      <span className="row-actions">
        <button
          type="button"
          aria-label={`Replay ${r.label}`}
          onClick={() => startReplay(r.runId, speed)}
          disabled={running}
        >
          Replay
        </button>
        <button
          type="button"
          aria-label={`Export ${r.label} as .jsonl`}
          onClick={() => {
            const n = downloadLog(r);
            setMessage({
              text: n > 0 ? `Exported; ${n} occurrence(s) of your API key were redacted.` : 'Exported.',
              error: false,
            });
          }}
          title="Export the run log as JSON Lines (.jsonl)"
        >
          Export
        </button>
        <button
          type="button"
          aria-label={`Export ${r.label} as OpenTelemetry spans (OTLP/JSON)`}
          onClick={async () => {
            setMessage({ text: 'Building the spans…', error: false });
            const out = await downloadOtlp(r, otlpContent);
            setMessage(
              out.ok
                ? {
                    text:
                      `Exported ${int(out.spans)} spans (${int(out.modelCalls)} model calls) as OTLP/JSON` +
                      `${otlpContent ? ', with prompts and outputs' : ''}.` +
                      (out.redacted > 0
                        ? ` ${out.redacted} occurrence(s) of your API key were redacted.`
                        : ''),
                    error: false,
                  }
                : { text: `Could not export the spans: ${out.error}`, error: true },
            );
          }}
          title="Export the run as OpenTelemetry spans (OTLP/JSON) for Jaeger, Phoenix, Langfuse or a Collector"
        >
          OTLP
        </button>
      </span>
    </li>
  );
});
