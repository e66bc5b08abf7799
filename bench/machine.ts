import os from 'node:os';

/** The machine and date every figure is recorded with; this machine is noisy, so the context matters. */
export function machine(): { cpus: string; cores: number; memoryGiB: number; node: string; date: string } {
  return {
    cpus: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  };
}
