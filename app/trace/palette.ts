/** Status colours for the canvas drawings, read from the page's CSS variables (light and dark themes). */
import type { CallStatus } from '../store/run.ts';

export interface TracePalette {
  status: Record<CallStatus, string>;
  text: string;
  /** Text on a status colour: white in the light scheme, near-black in the dark one. */
  onStatus: string;
  muted: string;
  edge: string;
  selected: string;
  bg: string;
}

export function readPalette(el: Element): TracePalette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    status: {
      planned: v('--trace-planned', '#9aa3ae'),
      running: v('--trace-running', '#4b5bd6'),
      done: v('--trace-done', '#1f7a3e'),
      cached: v('--trace-cached', '#0e7c86'),
      error: v('--trace-error', '#b42318'),
      aborted: v('--trace-aborted', '#8a6d3b'),
    },
    text: v('--text', '#1b1f24'),
    onStatus: v('--on-accent', '#ffffff'),
    muted: v('--muted', '#5d6570'),
    edge: v('--border', '#d9dce1'),
    selected: v('--trace-selected', '#f0a000'),
    bg: v('--bg', '#ffffff'),
  };
}

export const statusWord: Record<CallStatus, string> = {
  planned: 'planned',
  running: 'running',
  done: 'done',
  cached: 'from cache',
  error: 'failed',
  aborted: 'aborted',
};
