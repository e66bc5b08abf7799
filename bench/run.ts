// `npm run bench`: runs every benchmark in bench/, then regenerates docs/benchmarks.md from
// bench/results/*.json. Each benchmark writes its own results file; the table is never hand-edited.
import { execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { firstScreen } from './first-screen.ts';
import { writeReport } from './report.ts';

mkdirSync('bench/results', { recursive: true });
execSync('npx vite build', { stdio: 'inherit' });
await firstScreen();
writeReport();
