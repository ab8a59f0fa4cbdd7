// `npm start`: the first Quickstart command. Installs what a fresh Debian-like machine lacks, builds
// the web app if needed, then runs `switchyard start` (web + worker, embedded Postgres + Redis).
import { ensureBuild, ensureDependencies, ensureSystemDeps, say, spawnSwitchyard } from './lib/bootstrap.mjs';

try {
  ensureDependencies();
  if (!process.env.REDIS_URL && !ensureSystemDeps(['redis'])) process.exit(1);
  await ensureBuild();
} catch (error) {
  say(error.message);
  process.exit(1);
}

const host = process.env.HOST || '127.0.0.1';
const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
const port = process.env.PORT || '3000';
const line = '─'.repeat(60);
process.stderr.write(
  `\n${line}\n  Switchyard  →  http://${shownHost}:${port}\n` +
    `  database: ${process.env.DATABASE_URL ? 'DATABASE_URL' : `embedded (${process.env.SWITCHYARD_DATA_DIR || '.switchyard'}/)`}` +
    `   redis: ${process.env.REDIS_URL ? 'REDIS_URL' : 'supervised redis-server'}\n  Ctrl-C stops it.\n${line}\n\n`,
);

process.exitCode = await spawnSwitchyard(['start', ...process.argv.slice(2)]);
