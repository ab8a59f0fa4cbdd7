// Plain Node, no dependencies: this runs before `npm ci` on a fresh machine.
import { spawn, spawnSync } from 'node:child_process';
import { buildServer, serverBuildIsFresh, switchyardNodeArgs } from './server-build.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `switchyard:` prefixed progress line on stderr, so stdout stays clean for runners' output. */
export function say(line) {
  process.stderr.write(`switchyard: ${line}\n`);
}

/** Runs a command with inherited stdio; throws on failure (we cannot go on without it). */
export function run(cmd, args, options = {}) {
  say(`$ ${[cmd, ...args].join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

/**
 * `npm ci` when node_modules is missing or older than package-lock.json. Installs are reproducible:
 * the committed lockfile is the only source of versions, so a lockfile out of sync with
 * package.json is an error to fix in the repository (`npm install`, commit the lockfile), never
 * something to paper over with `npm install` on each machine (which rewrote the lockfile).
 */
export function ensureDependencies() {
  const lock = path.join(root, 'package-lock.json');
  const installed = mtime(path.join(root, 'node_modules', '.package-lock.json'));
  if (mtime(lock) === undefined) throw new Error('package-lock.json is missing: installs must come from the committed lockfile (run `npm install` once and commit it)');
  const stale = installed === undefined || mtime(lock) > installed;
  if (!stale) return;
  say(installed === undefined ? 'installing dependencies (first run; isolated-vm compiles, ~2 min)' : 'dependencies changed; reinstalling');
  // Browsers come from Debian (/usr/bin/chromium): Playwright must never download its own.
  const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
  say('$ npm ci');
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, env, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  process.stderr.write(ci.stderr ?? '');
  if (ci.error) throw ci.error;
  if (ci.status !== 0) {
    const outOfSync = /in sync|Missing: |Invalid: lock file/i.test(ci.stderr ?? '');
    throw new Error(outOfSync
      ? 'npm ci refused: package-lock.json is out of sync with package.json. Run `npm install` in the repository and commit package-lock.json.'
      : `npm ci failed (exit ${ci.status ?? ci.signal}); see its output above`);
  }
}

export function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Newest PostgreSQL server bin dir from Debian's packages (`/usr/lib/postgresql/<v>/bin`), if any. */
export function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

export const CHROMIUM = '/usr/bin/chromium';

/** System packages we know how to check, with how to get them where we cannot install them. */
export const SYSTEM_DEPS = {
  redis: {
    apt: 'redis-server',
    present: () => hasCommand('redis-server'),
    help: 'sudo apt-get install -y redis-server   |   brew install redis   |   docker compose up -d redis + REDIS_URL=redis://127.0.0.1:6379',
  },
  postgres: {
    apt: 'postgresql',
    present: () => postgresBinDir() !== undefined,
    help: 'sudo apt-get install -y postgresql   (or point TEST_DATABASE_URL at a Postgres you own)',
  },
  chromium: {
    apt: 'chromium',
    present: () => fs.existsSync(CHROMIUM),
    help: 'sudo apt-get install -y chromium',
  },
};

export function canAptInstall() {
  return process.getuid?.() === 0 && fs.existsSync('/etc/debian_version') && hasCommand('apt-get');
}

/**
 * Installs the missing ones of `names` (keys of SYSTEM_DEPS) with apt when root on Debian/Ubuntu;
 * otherwise prints exactly what to run and returns false.
 */
export function ensureSystemDeps(names) {
  const missing = names.filter((name) => !SYSTEM_DEPS[name].present());
  if (missing.length === 0) return true;
  if (!canAptInstall()) {
    say(`missing: ${missing.map((n) => SYSTEM_DEPS[n].apt).join(', ')}. Install with:`);
    for (const name of missing) process.stderr.write(`  ${SYSTEM_DEPS[name].help}\n`);
    return false;
  }
  const packages = missing.map((n) => SYSTEM_DEPS[n].apt);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  say(`installing ${packages.join(' ')} with apt-get`);
  // A fresh machine often has no package lists; update only when they are empty.
  const lists = fs.existsSync('/var/lib/apt/lists') ? fs.readdirSync('/var/lib/apt/lists').filter((f) => f.endsWith('Packages')) : [];
  if (lists.length === 0) run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', ...packages], { env });
  const still = missing.filter((name) => !SYSTEM_DEPS[name].present());
  if (still.length) throw new Error(`apt-get did not provide: ${still.join(', ')}`);
  return true;
}

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** `remix vite:build` when build/ is missing or older than app/ (or the vite config). */
export async function ensureBuild() {
  const built = mtime(path.join(root, 'build', 'server', 'index.js'));
  const sources = Math.max(newestMtime(path.join(root, 'app')), mtime(path.join(root, 'vite.config.ts')) ?? 0);
  if (built === undefined || built < sources) {
    say(built === undefined ? 'building the web app' : 'app/ changed; rebuilding the web app');
    run(path.join(root, 'node_modules', '.bin', 'remix'), ['vite:build']);
  }
  await ensureServerBuild();
}

/** Compiles the server (build/cli) when missing or older than its sources (about a second). */
export async function ensureServerBuild() {
  if (serverBuildIsFresh()) return;
  say('compiling the server (build/cli)');
  await buildServer();
}

/**
 * Runs `bin/switchyard.mjs` with the Node flags it needs already set (no second re-exec), forwards
 * targeted signals, and resolves with its exit code.
 */
export function spawnSwitchyard(args, options = {}) {
  const child = spawn(
    process.execPath,
    [...switchyardNodeArgs(), ...args],
    { stdio: 'inherit', cwd: root, ...options, env: { ...process.env, ...options.env, SWITCHYARD_NODE_FLAGS: '1' } },
  );
  // Same rule as bin/switchyard.mjs: a terminal's Ctrl-C already reached the child.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (signal === 'SIGINT' && process.stdin.isTTY) return;
      child.kill(signal);
    });
  }
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? 128 + (os.constants.signals[signal] ?? 0)));
  });
}
