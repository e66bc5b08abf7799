import os from 'node:os';

export interface Machine {
  cpus: string;
  cores: number;
  memoryGiB: number;
  node: string;
  /** Load average over the last minute when the benchmark started: others may share this machine. */
  load1: number;
  date: string;
}

/** The machine and date every figure is recorded with; this machine is noisy, so the context matters. */
export function machine(): Machine {
  return {
    cpus: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    load1: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    date: new Date().toISOString(),
  };
}

export function describeMachine(m: Machine): string {
  return `${m.date.slice(0, 16).replace('T', ' ')} UTC, ${m.cores} × ${m.cpus}, ${m.memoryGiB} GiB, Node ${m.node}, load ${m.load1}`;
}
