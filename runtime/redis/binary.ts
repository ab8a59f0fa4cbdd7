import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const KNOWN_PATHS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'];

/** Path of `redis-server`, or undefined when it is not installed. */
export function findRedisServer(): string | undefined {
  for (const candidate of KNOWN_PATHS) if (fs.existsSync(candidate)) return candidate;
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() || undefined : undefined;
}

/** What to tell someone who has no redis-server and whom we cannot install it for. */
export const REDIS_MISSING_HELP = [
  'redis-server is not installed and REDIS_URL is not set. Either:',
  '  - Debian/Ubuntu:  sudo apt-get install -y redis-server',
  '  - macOS:          brew install redis',
  '  - Docker:         docker compose up -d redis   and then   export REDIS_URL=redis://127.0.0.1:6379',
].join('\n');

/** Root on a Debian-like system with apt-get: the only case where installing it ourselves is polite. */
export function canAptInstall(): boolean {
  return process.getuid?.() === 0 && fs.existsSync('/etc/debian_version') && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
}

/**
 * Returns the redis-server path, installing it with apt when running as root on Debian/Ubuntu;
 * otherwise throws with {@link REDIS_MISSING_HELP}.
 */
export function ensureRedisServer(log: (line: string) => void = (l) => console.error(l)): string {
  const found = findRedisServer();
  if (found) return found;
  if (!canAptInstall()) throw new Error(REDIS_MISSING_HELP);
  log('switchyard: redis-server is missing; installing it: apt-get install -y redis-server');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], { stdio: 'inherit', env });
  if (result.status !== 0) {
    // A fresh machine often has no package lists yet.
    log('switchyard: apt-get install failed; running apt-get update and trying again');
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], { stdio: 'inherit', env });
  }
  const installed = findRedisServer();
  if (result.status !== 0 || !installed) throw new Error(`apt-get install -y redis-server failed.\n${REDIS_MISSING_HELP}`);
  return installed;
}
