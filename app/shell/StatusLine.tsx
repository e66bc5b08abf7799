import { useEffect, useState } from 'react';
import type { GpuStatus } from '../../workers/models/index.ts';
import { runtimeClient } from '../runtime/runtimeClient.ts';

type Status =
  | { state: 'loading' }
  | { state: 'ready'; version: string; gpu: GpuStatus }
  | { state: 'error'; message: string };

/** Footer that says which runtime answered and whether in-browser inference (WebGPU) is usable. */
export function StatusLine() {
  const [status, setStatus] = useState<Status>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    const runtime = runtimeClient();
    Promise.all([runtime.version(), runtime.capabilities()])
      .then(([version, caps]) => live && setStatus({ state: 'ready', version, gpu: caps.gpu }))
      .catch((error: unknown) => live && setStatus({ state: 'error', message: String(error) }));
    return () => {
      live = false;
    };
  }, []);

  return (
    <footer className="statusline">
      {status.state === 'loading' && <span>Starting the runtime worker…</span>}
      {status.state === 'error' && (
        <span role="alert">The runtime worker failed to start: {status.message}</span>
      )}
      {status.state === 'ready' && (
        <>
          <span data-testid="runtime-version">Runtime {status.version}</span>
          <span
            role="status"
            data-testid="webgpu-status"
            data-usable={String(status.gpu.usable)}
            className={status.gpu.usable ? 'ok' : 'warn'}
          >
            {status.gpu.usable ? '● ' : '○ '}
            {status.gpu.reason}
          </span>
        </>
      )}
    </footer>
  );
}
