// Summarises V8 .cpuprofile files (from `node --cpu-prof`) into self time by package / source file
// and the hottest functions: a first answer to "where do the web and worker milliseconds go".
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  byOwner: [string, number][];
  byFunction: [string, number][];
}

/** "node_modules/@scope/pkg/…" → "@scope/pkg"; a repository file → its path; node internals → "node:…". */
function owner(url: string, root: string): string {
  if (!url) return '';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = clean.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (clean.startsWith('node:')) return 'node:' + (clean.slice(5).split('/')[0] ?? '');
  if (clean.startsWith(root)) return path.relative(root, clean);
  return clean;
}

export function summariseProfile(file: string, root: string, top = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let k = 0; k < profile.samples.length; k++) {
    const id = profile.samples[k]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[k] ?? 0));
  }
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    total += us;
    const who = owner(frame.url, root) || frame.functionName || '(anonymous)';
    owners.set(who, (owners.get(who) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${who}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => [k, v / 1000] as [string, number]);
  return { file, totalMs: total / 1000, byOwner: sorted(owners), byFunction: sorted(functions) };
}
