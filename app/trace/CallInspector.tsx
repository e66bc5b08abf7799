/**
 * Everything about one call: its span in the input document (a window around it, never the whole
 * document), the exact prompt, the streamed output, the parsed value, tokens, latency, cache, retries and
 * the error in words. Model output is untrusted: it is only ever put in the page as text.
 */
import { useMemo } from 'react';
import { spanWindow, useInput } from '../store/input.ts';
import type { CallState, RunState } from '../store/run.ts';
import { callOutcomeNote, cellErrorInWords, chars, duration, errorSentence, int, money } from './format.ts';
import { statusWord } from './palette.ts';

const MAX_VALUE_CHARS = 20_000;

export function CallInspector({ state, callId }: { state: RunState; callId: string | null }) {
  const c = callId === null ? undefined : state.calls.get(callId);
  if (!c) {
    return (
      <section className="call-inspector" aria-label="Call inspector" data-testid="call-inspector">
        <p className="muted">
          Select a call in the tree or the timeline to see its prompt, output and value.
        </p>
      </section>
    );
  }
  return (
    <section className="call-inspector" aria-label="Call inspector" data-testid="call-inspector">
      <h3>
        <span className={`badge status-${c.status}`}>{statusWord[c.status]}</span> {c.label || c.id}
      </h3>
      <dl className="facts">
        <dt>call</dt>
        <dd>
          <code>{c.id}</code> · depth {c.depth}
          {c.nodeId ? (
            <>
              {' '}
              · node <code>{c.nodeId}</code>
            </>
          ) : null}
        </dd>
        {c.span && (
          <>
            <dt>span</dt>
            <dd>
              [{int(c.span[0])}, {int(c.span[1])}) · {chars(c.span[1] - c.span[0])}
            </dd>
          </>
        )}
        {c.leaf && (
          <>
            <dt>tokens</dt>
            <dd data-testid="call-tokens">
              {int(c.promptTokens)} in · {int(c.completionTokens)} out
              {c.cachedPromptTokens > 0 &&
                ` (${int(c.cachedPromptTokens)} in from the server's prompt cache)`}
            </dd>
            <dt>cost</dt>
            <dd data-testid="call-cost">
              {c.cached ? 'nothing (served from the cache)' : money(c.cost, state.price)}
            </dd>
            <dt>latency</dt>
            <dd>{c.cached ? 'served from the cache' : duration(c.ms)}</dd>
            <dt>retries</dt>
            <dd>{c.retries}</dd>
            {c.finishReason && (
              <>
                <dt>finish</dt>
                <dd className={c.finishReason === 'length' ? 'warn' : undefined}>
                  {c.finishReason === 'length' ? 'cut off at the token limit (length)' : c.finishReason}
                </dd>
              </>
            )}
          </>
        )}
        {!c.leaf && c.endT !== null && (
          <>
            <dt>elapsed</dt>
            <dd>{duration(c.endT - c.startT)}</dd>
          </>
        )}
        {c.children.length > 0 && (
          <>
            <dt>children</dt>
            <dd>{int(c.children.length)}</dd>
            <dt>cost below</dt>
            <dd
              data-testid="call-tree-cost"
              title="What the model calls of this call and every call below it cost"
            >
              {money(c.treeCost, state.price)}
            </dd>
          </>
        )}
      </dl>
      {c.error && (
        <div className="call-error" role="alert">
          <strong>{c.error.kind}.</strong> {errorSentence(c.error.kind, c.error.message)}
        </div>
      )}
      {c.cell && <CellView call={c} />}
      {c.span && <SpanView call={c} inputChars={state.inputChars} />}
      {c.messages && (
        <details open>
          <summary>Prompt</summary>
          {c.messages.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the messages of a call never reorder.
            <div key={i} className="message">
              <div className="role">{m.role}</div>
              <pre className="text-block">{m.content}</pre>
            </div>
          ))}
        </details>
      )}
      {(c.leaf || c.output) && (
        <details open>
          <summary>{c.status === 'running' ? 'Output (streaming…)' : 'Output'}</summary>
          <pre className="text-block" data-testid="call-output">
            {c.output || (c.status === 'running' ? '' : '(empty)')}
          </pre>
        </details>
      )}
      {(c.hasValue || c.summary !== null) && <ValueView call={c} />}
    </section>
  );
}

/** A code cell of an RLM run: the model's code and what it printed, as plain text (never run, never HTML). */
function CellView({ call }: { call: CallState }) {
  const cell = call.cell!;
  return (
    <>
      {cell.error && (
        <div className="call-error" role="alert" data-testid="cell-error">
          <strong>{cell.error.kind}.</strong> {cellErrorInWords[cell.error.kind]}{' '}
          <span>{cell.error.message}</span>
        </div>
      )}
      <details open>
        <summary>Code (written by the model, run in the sandbox)</summary>
        <pre className="text-block" data-testid="cell-code">
          {cell.code}
        </pre>
      </details>
      <details open>
        <summary>{cell.output === null ? 'Printed (running…)' : 'Printed'}</summary>
        <pre className="text-block" data-testid="cell-output">
          {cell.output === null ? '' : cell.output || '(nothing printed)'}
          {cell.droppedChars > 0 ? `\n… (${int(cell.droppedChars)} more characters not kept)` : ''}
        </pre>
        {cell.ms !== null && <p className="muted">Code ran for {duration(cell.ms)}.</p>}
      </details>
      {cell.final !== null && (
        <details open>
          <summary>FINAL answer</summary>
          <pre className="text-block" data-testid="cell-final">
            {cell.final}
          </pre>
        </details>
      )}
    </>
  );
}

function ValueView({ call }: { call: CallState }) {
  const text = useMemo(() => {
    const note = callOutcomeNote(call);
    if (note) return call.hasValue ? `${note}\n\n${JSON.stringify(call.value, null, 2)}` : note;
    if (!call.hasValue) return call.summary ?? '';
    const s = typeof call.value === 'string' ? call.value : JSON.stringify(call.value, null, 2);
    return s.length > MAX_VALUE_CHARS
      ? `${s.slice(0, MAX_VALUE_CHARS)}\n… (${int(s.length - MAX_VALUE_CHARS)} more characters)`
      : s;
  }, [call]);
  return (
    <details open>
      <summary>Value</summary>
      <pre className="text-block" data-testid="call-value">
        {text}
      </pre>
    </details>
  );
}

function SpanView({ call, inputChars }: { call: CallState; inputChars: number }) {
  const meta = useInput((s) => s.meta);
  const [from, to] = call.span!;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the text changes only when meta.version moves.
  const w = useMemo(() => spanWindow(from, to), [from, to, meta.version]);
  const sameDoc = meta.chars === inputChars;
  return (
    <details open>
      <summary>Span in the input</summary>
      {!sameDoc && (
        <p className="muted">
          The input open now ({chars(meta.chars)}) is not the one this run read ({chars(inputChars)}): the
          highlighted text may not be what the call saw.
        </p>
      )}
      {w ? (
        // A section, focusable, so the keyboard can scroll a long span (a scrollable region must be reachable);
        // `.text-block` keeps its line breaks as a <pre> would.
        <section
          className="text-block span-window"
          data-testid="call-span"
          aria-label="The span in the input"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region is reached by Tab to scroll it.
          tabIndex={0}
        >
          {w.from > w.before.length && '…'}
          {w.before}
          <mark>
            {w.spanHead}
            {w.omitted > 0 && <span className="omitted"> … {int(w.omitted)} characters … </span>}
            {w.spanTail}
          </mark>
          {w.after}
          {'…'}
        </section>
      ) : (
        <p className="muted">The span lies outside the input open now.</p>
      )}
    </details>
  );
}
