/**
 * "Paste a document and ask a question" (the Start tab): what the user chose, how far the flow got, the
 * detection waiting for its run (the plan preview counts it in N̂), and the runs compared side by side.
 */
import { create } from 'zustand';
import type { TaskFamily } from '../../workers/lang/index.ts';

export type AskStep = 'idle' | 'detecting' | 'running' | 'rlm' | 'done' | 'failed';

export interface PendingDetection {
  detectionId: string;
  promptTokens: number;
  completionTokens: number;
}

export interface AskState {
  question: string;
  /** 'auto': detected by one model call. */
  family: 'auto' | TaskFamily;
  step: AskStep;
  /** The family the run used, and who chose it. */
  chosen: { family: TaskFamily; by: 'model' | 'user' } | null;
  /** Why the flow stopped (detection failed, no model, no document), in words. */
  error: string | null;
  /** A detection call made and not yet carried by a run: the next run from here carries it. */
  detection: PendingDetection | null;
  /** The two runs shown side by side (ids of the run session's records). */
  compare: { planRunId: string | null; rlmRunId: string | null; open: boolean } | null;
}

export const useAsk = create<AskState>()(() => ({
  question: '',
  family: 'auto',
  step: 'idle',
  chosen: null,
  error: null,
  detection: null,
  compare: null,
}));

export function closeCompare(): void {
  const c = useAsk.getState().compare;
  if (c) useAsk.setState({ compare: { ...c, open: false } });
}

export function openCompare(): void {
  const c = useAsk.getState().compare;
  if (c) useAsk.setState({ compare: { ...c, open: true } });
}
