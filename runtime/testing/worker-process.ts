import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SwitchyardConfig } from '../config/env.js';

const workerMain = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker-main.ts');

/**
 * A worker in its own process (`worker-main.ts`) that a durability test can kill -9, as an
 * operator's crash would; resolves once it is ready to take jobs.
 */
export function startWorkerProcess(config: SwitchyardConfig): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = fork(workerMain, [], {
      execArgv: ['--no-node-snapshot', '--conditions=switchyard-source', '--import', 'tsx'],
      env: { ...process.env, SWITCHYARD_TEST_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}
