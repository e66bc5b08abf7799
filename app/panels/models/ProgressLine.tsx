import { describeProgress, type LoadProgress } from '../../../workers/models/index.ts';

const PHASE = {
  starting: 'Starting',
  downloading: 'Downloading',
  loading: 'Loading',
  ready: 'Ready',
} as const;

/** A load's progress: bar, percent, bytes, time left, and the engine's own words. */
export function ProgressLine({ progress, label }: { progress: LoadProgress; label: string }) {
  return (
    <div className="progress-line" data-testid="load-progress" data-phase={progress.phase}>
      <progress aria-label={label} max={1} value={progress.fraction} />
      <span>
        {PHASE[progress.phase]} · {describeProgress(progress)}
      </span>
      <span className="muted progress-line__detail">{progress.text}</span>
    </div>
  );
}
