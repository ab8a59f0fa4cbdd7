// `npm test`: the second Quickstart command. Installs what is missing (npm packages, redis-server,
// PostgreSQL, Chromium), runs vitest and then the Playwright e2e suite, and closes with one line
// `N passed, N failed` over both. `npm test -- <vitest args>` runs only vitest with those args.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild, ensureDependencies, ensureSystemDeps, root, say } from './lib/bootstrap.mjs';

const vitestArgs = process.argv.slice(2);
const e2eFiles = vitestArgs.length ? [] : findE2e(path.join(root, 'e2e'));

try {
  ensureDependencies();
  const needed = [];
  if (!process.env.TEST_REDIS_URL) needed.push('redis');
  if (!process.env.TEST_DATABASE_URL) needed.push('postgres');
  if (e2eFiles.length) needed.push('chromium');
  if (!ensureSystemDeps(needed)) process.exit(1);
} catch (error) {
  say(error.message);
  process.exit(1);
}

const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

// --- vitest ---
const vitestJson = path.join(reports, 'vitest.json');
const vitestCode = await exec(path.join(root, 'node_modules', '.bin', 'vitest'), [
  'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`, ...vitestArgs,
]);
const vitest = readJson(vitestJson);
if (vitest) {
  totals.passed += vitest.numPassedTests ?? 0;
  totals.failed += vitest.numFailedTests ?? 0;
  totals.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}
if (vitestCode !== 0) {
  ok = false;
  // A crash before any result (global setup, syntax error) must not look like "0 failed".
  if (!vitest || !vitest.numFailedTests) totals.failed += 1;
}

// --- Playwright ---
if (e2eFiles.length) {
  let built = true;
  try {
    await ensureBuild();
  } catch (error) {
    say(`web app build failed: ${error.message}`);
    built = false;
  }
  const pwJson = path.join(reports, 'playwright.json');
  const pwCode = built
    ? await exec(path.join(root, 'node_modules', '.bin', 'playwright'), ['test', '--reporter=list,json'], {
        PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
      })
    : 1;
  const stats = readJson(pwJson)?.stats;
  if (stats) {
    totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    totals.failed += stats.unexpected ?? 0;
    totals.skipped += stats.skipped ?? 0;
  }
  if (pwCode !== 0) {
    ok = false;
    if (!stats || !stats.unexpected) totals.failed += 1;
  }
} else if (!vitestArgs.length) {
  say('no e2e tests in e2e/; skipping Playwright');
}

fs.rmSync(reports, { recursive: true, force: true });
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok ? 0 : 1);

function findE2e(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(spec|test)\.ts$/.test(e.name))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Runs a test runner with inherited stdio; a Ctrl-C reaches it directly (same process group). */
function exec(cmd, args, env = {}) {
  say(`$ ${path.basename(cmd)} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (error) => { say(error.message); resolve(1); });
    child.on('exit', (code, signal) => resolve(code ?? 128 + (os.constants.signals[signal] ?? 0)));
  });
}
