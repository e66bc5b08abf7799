import type { LoadProgress } from './download-progress.ts';

/**
 * Load progress to the page at most every `intervalMs` (each report is a message between threads), without
 * ever losing what the user should see: a new phase and the end go at once, and a report held back by the
 * interval is sent when the interval is over. Dropping it instead left the panel at "Starting" for as long
 * as a download stalled after its first chunk (the first chunk's report came within 100 ms of "starting").
 */
export function throttleProgress(
  report: (p: LoadProgress) => void,
  intervalMs = 100,
): (p: LoadProgress) => void {
  let last = Number.NEGATIVE_INFINITY;
  let lastPhase: LoadProgress['phase'] | undefined;
  let held: LoadProgress | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const send = (p: LoadProgress) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    held = undefined;
    last = performance.now();
    lastPhase = p.phase;
    report(p);
  };

  return (p) => {
    const now = performance.now();
    if (p.phase !== lastPhase || p.phase === 'ready' || p.fraction >= 1 || now - last >= intervalMs) {
      send(p);
      return;
    }
    held = p;
    timer ??= setTimeout(
      () => {
        timer = undefined;
        if (held) send(held);
      },
      Math.max(0, last + intervalMs - now),
    );
  };
}
