/**
 * Starting from a question, in the page (docs/rlm.md): the document becomes the input, one model call
 * detects the task family (unless the user picked one), the family's template (its example plan, with the
 * question) replaces the open plan as one undoable edit, and it runs, the detection call carried in the
 * run's log. With `compare`, RLM mode then runs on the same document and question, and the two are shown
 * side by side.
 */
import { instantiate, type TaskFamily, taskFamilyInfo } from '../../workers/lang/index.ts';
import { loadExample } from '../documents/plan-files.ts';
import {
  activeModel,
  inputIdForWorker,
  startRlmRun,
  startRun,
  useRunController,
} from '../panels/run/runController.ts';
import { stopSampleGeneration } from '../panels/run/sampleGeneration.ts';
import { runtimeClient } from '../runtime/runtimeClient.ts';
import { useAsk } from '../store/ask.ts';
import { useDocument } from '../store/document.ts';
import { setInputText, useInput } from '../store/input.ts';
import { useRunSession } from '../store/runSession.ts';

const fail = (error: string) => useAsk.setState({ step: 'failed', error });

/** `document`: pasted text, or '' to ask about the open input. */
export async function askQuestion(document: string, options: { compare?: boolean } = {}): Promise<void> {
  const ask = useAsk.getState();
  if (ask.step === 'detecting' || ask.step === 'running' || ask.step === 'rlm') return;
  if (useRunController.getState().starting || useRunSession.getState().liveRunId !== null)
    return fail('A run is in progress: wait for it or stop it first.');
  const question = ask.question.trim();
  if (question === '') return fail('Write the question first.');
  const model = activeModel();
  if (!model.ok) return fail(model.reason);
  if (document.trim() !== '') {
    // A sample still being made would replace the pasted document when it is done.
    if (useInput.getState().generating) stopSampleGeneration();
    setInputText(document, 'paste', 'pasted document');
  }
  if (useInput.getState().meta.chars === 0) return fail('Paste the document (or open a file) first.');
  useAsk.setState({
    step: 'detecting',
    error: null,
    chosen: null,
    ...(options.compare && { compare: null }),
  });

  let family: TaskFamily;
  let by: 'model' | 'user';
  let detectionId = ask.detection?.detectionId;
  try {
    const inputId = await inputIdForWorker();
    if (ask.family === 'auto') {
      const reply = await runtimeClient().detect({
        inputId,
        query: question,
        model: model.config,
        ...(options.compare && { useCache: false }),
      });
      if (!reply.ok) {
        const pending = reply.detectionId
          ? { detectionId: reply.detectionId, promptTokens: 0, completionTokens: 0 }
          : null;
        useAsk.setState({ detection: pending });
        return fail(
          reply.stage === 'model'
            ? `The model could not be used: ${reply.error.message}`
            : `${reply.error.message} Choose the kind of task above and ask again.`,
        );
      }
      family = reply.family;
      by = 'model';
      detectionId = reply.detectionId;
      useAsk.setState({
        detection: {
          detectionId: reply.detectionId,
          promptTokens: reply.promptTokens,
          completionTokens: reply.completionTokens,
        },
      });
    } else {
      family = ask.family;
      by = 'user';
    }
    const info = taskFamilyInfo(family);
    const example = await loadExample({ file: info.example, name: info.label, description: '' });
    const made = instantiate(family, question, example);
    if (!made.ok)
      return fail(`The ${info.label} template does not load: ${made.diagnostics[0]?.message ?? ''}`);
    useDocument.getState().replacePlan(made.plan);
    useAsk.setState({ step: 'running', chosen: { family, by } });
    if (options.compare) useAsk.setState({ compare: { planRunId: null, rlmRunId: null, open: true } });
    // A comparison asks the model afresh on both sides: answers from the leaf cache would cost nothing.
    const fresh = options.compare ? { useCache: false } : {};
    const planRunId = await startRun({
      ...fresh,
      label: `${info.label}: ${question}`,
      ...(detectionId !== undefined && { detectionId }),
    });
    // The call is in that run's log now; the next run from the canvas makes none.
    useAsk.setState({ detection: null });
    if (planRunId === undefined)
      return fail(useRunController.getState().notice?.text ?? 'The run did not start.');
    if (!options.compare) {
      useAsk.setState({ step: 'done' });
      return;
    }
    useAsk.setState({ step: 'rlm', compare: { planRunId, rlmRunId: null, open: true } });
    const rlmRunId = await startRlmRun(fresh);
    useAsk.setState({
      step: rlmRunId === undefined ? 'failed' : 'done',
      compare: { planRunId, rlmRunId: rlmRunId ?? null, open: useAsk.getState().compare?.open ?? true },
      ...(rlmRunId === undefined && {
        error: useRunController.getState().notice?.text ?? 'RLM mode did not start.',
      }),
    });
  } catch (e) {
    fail(`Asking failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
