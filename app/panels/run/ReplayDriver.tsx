/** Drives a replay's clock with animation frames while it plays; renders nothing. */
import { useEffect } from 'react';
import { replayTick, useRunSession } from '../../store/runSession.ts';

export function ReplayDriver() {
  const playing = useRunSession((s) => s.replay?.playing ?? false);
  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let id = requestAnimationFrame(function tick(now) {
      const more = replayTick(now - last);
      last = now;
      if (more) id = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(id);
  }, [playing]);
  return null;
}
