// Installs Debian's Chromium when it is missing. Playwright's own browser download is never used:
// this machine reaches only the npm registry and Debian's packages.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

if (existsSync(CHROMIUM)) process.exit(0);
if (typeof process.getuid === 'function' && process.getuid() !== 0) {
  console.error(`${CHROMIUM} is missing. Install it with: sudo apt-get install -y chromium chromium-driver`);
  process.exit(1);
}
console.log('Installing Chromium from Debian packages…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execSync('apt-get update -qq', { stdio: 'inherit', env });
execSync('apt-get install -y -qq chromium chromium-driver', { stdio: 'inherit', env });
if (!existsSync(CHROMIUM)) {
  console.error(`apt-get finished but ${CHROMIUM} is still missing.`);
  process.exit(1);
}
