/**
 * The plan preview's estimate for the open plan, input and model, asked of the planner in the runtime
 * worker whenever one of them changes (debounced, so typing does not flood the worker). No model call.
 */
import { useEffect, useState } from 'react';
import { withDetectCall } from '../../../workers/lang/index.ts';
import { describeModel } from '../../../workers/models/index.ts';
import { useChecks } from '../../canvas/checks.ts';
import { runtimeClient } from '../../runtime/runtimeClient.ts';
import { useAsk } from '../../store/ask.ts';
import { useDocument } from '../../store/document.ts';
import { useInput } from '../../store/input.ts';
import { modelConfigOf, useSettings } from '../../store/settings.ts';
import { skeletonTree } from '../../trace/skeleton.ts';
import type { PlanPreviewState } from './PlanPreview.tsx';
import { contextWindowOf, inputIdForWorker } from './runController.ts';

const DEBOUNCE_MS = 300;

export function usePlanEstimate(): PlanPreviewState {
  const plan = useDocument((s) => s.plan);
  const meta = useInput((s) => s.meta);
  // A question's detection call waiting for its run is part of that run's N̂.
  const detection = useAsk((s) => s.detection);
  const model = useSettings((s) => {
    const m = modelConfigOf(s);
    return m.ok ? `${contextWindowOf(m.config)}|${describeModel(m.config)}` : `!${m.reason}`;
  });
  const [state, setState] = useState<PlanPreviewState>({
    estimate: null,
    skeleton: null,
    reason: null,
    pending: false,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: meta.version is the signal that the text changed.
  useEffect(() => {
    if (model.startsWith('!')) {
      setState({
        estimate: null,
        skeleton: null,
        reason: `No model to plan for: ${model.slice(1)}`,
        pending: false,
      });
      return;
    }
    if (meta.chars === 0) {
      setState({
        estimate: null,
        skeleton: null,
        reason: 'Give an input (paste, open a file or generate the sample) to see the plan.',
        pending: false,
      });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, pending: true }));
    useChecks.setState({ refusals: [] });
    const timer = setTimeout(async () => {
      try {
        const inputId = await inputIdForWorker();
        const reply = await runtimeClient().plan({
          plan,
          inputId,
          query: plan.query,
          contextWindow: Number(model.split('|')[0]),
        });
        if (!live) return;
        if (!reply.ok) {
          const first = reply.diagnostics.find((d) => d.severity === 'error') ?? reply.diagnostics[0];
          setState({
            estimate: null,
            skeleton: null,
            reason: `The plan does not check yet: ${first?.message ?? 'see the Problems panel'}.`,
            pending: false,
          });
          return;
        }
        setState({
          estimate: detection ? withDetectCall(reply.estimate, detection) : reply.estimate,
          skeleton: skeletonTree(reply.estimate, meta.chars),
          reason: null,
          pending: false,
        });
        // The planner's refusals go on their nodes, like the checker's errors.
        useChecks.setState({ refusals: reply.estimate.refusals ?? [] });
      } catch (e) {
        if (live)
          setState({
            estimate: null,
            skeleton: null,
            reason: `The planner failed: ${String(e)}`,
            pending: false,
          });
      }
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [plan, meta.chars, meta.version, model, detection]);

  return state;
}
