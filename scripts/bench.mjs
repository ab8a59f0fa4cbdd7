// `npm run bench [files…]`: runs each benchmark in bench/ (top-level *.ts, `_`-prefixed helpers
// skipped) in a process of its own, so one benchmark's warm caches and GC state never skew the next.
// Benchmarks measure and print; they are not pass/fail tests.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureBuild, ensureDependencies, root, say } from './lib/bootstrap.mjs';

ensureDependencies();
// Benchmarks measure the product as it ships: the compiled server and the built UI.
await ensureBuild();
const dir = path.join(root, 'bench');
const files = process.argv.length > 2
  ? process.argv.slice(2).map((f) => path.resolve(f))
  : (fs.existsSync(dir) ? fs.readdirSync(dir) : [])
      .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && !f.endsWith('.d.ts'))
      .sort()
      .map((f) => path.join(dir, f));

if (files.length === 0) {
  say('no benchmarks in bench/');
  process.exit(0);
}
let failed = 0;
for (const file of files) {
  say(`bench ${path.relative(root, file)}`);
  const result = spawnSync(process.execPath, ['--no-node-snapshot', '--conditions=switchyard-source', '--import', 'tsx', file], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
