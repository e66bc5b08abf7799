/**
 * Download and load progress in the words a user needs: percent, bytes, time left. web-llm reports
 * `{ progress, timeElapsed, text }`, with the megabytes only inside its text ("Fetching param
 * cache[3/20]: 120MB fetched. 14% completed, 9 secs elapsed. …"), so the bytes are read from there.
 */
export type LoadPhase = 'starting' | 'downloading' | 'loading' | 'ready';

export interface LoadProgress {
  phase: LoadPhase;
  /** 0..1 */
  fraction: number;
  /** Bytes fetched or loaded so far, when known. */
  loadedBytes?: number;
  /** Total bytes, when known. */
  totalBytes?: number;
  /** Seconds left at the current rate, once enough is known to say. */
  secondsLeft?: number;
  /** The engine's own words, for the details line. */
  text: string;
}

const MB = 1024 * 1024;

export interface WebLLMProgressReport {
  progress: number;
  timeElapsed: number;
  text: string;
}

export function fromWebLLMReport(report: WebLLMProgressReport): LoadProgress {
  const fraction = clamp01(report.progress);
  const text = report.text;
  const fetching = /^Fetching param cache/.test(text);
  const loading = /^Loading model from cache/.test(text);
  const finished = /^Finish loading/.test(text);
  const phase: LoadPhase = finished ? 'ready' : fetching ? 'downloading' : loading ? 'loading' : 'starting';
  const mb = /(\d+(?:\.\d+)?)MB (?:fetched|loaded)/.exec(text);
  const loadedBytes = mb ? Number(mb[1]) * MB : undefined;
  const totalBytes =
    loadedBytes !== undefined && fraction > 0 ? Math.round(loadedBytes / fraction) : undefined;
  return {
    phase,
    fraction: finished ? 1 : fraction,
    ...(loadedBytes !== undefined && { loadedBytes }),
    ...(totalBytes !== undefined && { totalBytes }),
    ...(phase === 'downloading' && secondsLeftOf(fraction, report.timeElapsed)),
    text,
  };
}

/** Progress of a byte download (wllama's `{ loaded, total }`), timed from `startedAt`. */
export function fromBytes(loaded: number, total: number, elapsedSeconds: number): LoadProgress {
  const fraction = total > 0 ? clamp01(loaded / total) : 0;
  return {
    phase: fraction >= 1 ? 'loading' : 'downloading',
    fraction,
    loadedBytes: loaded,
    ...(total > 0 && { totalBytes: total }),
    ...secondsLeftOf(fraction, elapsedSeconds),
    text: total > 0 ? `${formatBytes(loaded)} of ${formatBytes(total)}` : `${formatBytes(loaded)}`,
  };
}

function secondsLeftOf(fraction: number, elapsedSeconds: number): { secondsLeft?: number } {
  // Under 1% or under a second the rate is noise; say nothing rather than something wrong.
  if (fraction < 0.01 || fraction >= 1 || elapsedSeconds < 1) return {};
  return { secondsLeft: Math.round((elapsedSeconds * (1 - fraction)) / fraction) };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MB) return `${(bytes / (1024 * MB)).toFixed(2)} GB`;
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${seconds % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** One line for the UI: "42% · 512.0 MB of 1.20 GB · about 3 min 10 s left". */
export function describeProgress(p: LoadProgress): string {
  const parts = [`${Math.floor(p.fraction * 100)}%`];
  if (p.loadedBytes !== undefined && p.totalBytes !== undefined) {
    parts.push(`${formatBytes(p.loadedBytes)} of ${formatBytes(p.totalBytes)}`);
  } else if (p.loadedBytes !== undefined) {
    parts.push(formatBytes(p.loadedBytes));
  }
  if (p.secondsLeft !== undefined) parts.push(`about ${formatDuration(p.secondsLeft)} left`);
  return parts.join(' · ');
}
