#!/usr/bin/env node
// The `switchyard` npm bin. isolated-vm needs `--no-node-snapshot` on Node >= 20 and the code is
// TypeScript run through tsx, so unless those flags are already there we re-execute ourselves once
// with them (SWITCHYARD_NODE_FLAGS marks the child so it can never loop).
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serverBuildIsFresh, serverBundle } from '../scripts/lib/server-build.mjs';

// `--conditions=switchyard-source`: our workspace packages (the SDK) resolve to their TypeScript
// sources, not to the build they publish (decision 028).
const SOURCE_CONDITION = '--conditions=switchyard-source';
const hasFlags =
  process.execArgv.includes('--no-node-snapshot') && process.execArgv.includes(SOURCE_CONDITION) &&
  /--(import|loader)[= ]\S*tsx/.test(process.execArgv.join(' '));

if (process.env.SWITCHYARD_FROM_SOURCE !== '1' && serverBuildIsFresh()) {
  // The compiled server (npm start / npm test build it): plain JS, no loader, no re-exec — only the
  // sandbox hosts load isolated-vm, and they are started with --no-node-snapshot themselves.
  const { main } = await import(pathToFileURL(serverBundle).href);
  const code = await main(process.argv.slice(2));
  process.exit(typeof code === 'number' ? code : 0);
} else if (hasFlags || process.env.SWITCHYARD_NODE_FLAGS === '1') {
  const { main } = await import('../app/cli/main.ts');
  const code = await main(process.argv.slice(2));
  // main resolves when the command is done (for `start`, after shutdown); pools left open must not keep us alive.
  process.exit(typeof code === 'number' ? code : 0);
} else {
  const tsx = import.meta.resolve('tsx'); // absolute, so the bin works from any cwd
  const child = spawn(
    process.execPath,
    ['--no-node-snapshot', SOURCE_CONDITION, '--import', tsx, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, SWITCHYARD_NODE_FLAGS: '1' } },
  );
  // Ctrl-C in a terminal already reaches the child (same process group); forwarding it would send
  // a second SIGINT, which may read as "force quit". Targeted signals (kill, docker stop) are forwarded.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (signal === 'SIGINT' && process.stdin.isTTY) return;
      child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
