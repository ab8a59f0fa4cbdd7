// Linux /proc readers for the benchmarks: memory of a process, CPU time of a process tree, and the
// processes behind a listening port. Everything here is best effort: a process that exits between two
// reads simply counts as absent (its CPU then reaches its parent's cutime/cstime once reaped).
import fs from 'node:fs';

const CLK_TCK = 100; // USER_HZ on Linux: /proc/<pid>/stat times are in 1/100 s

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM (peak RSS) in bytes, or undefined once the process is gone. */
export function memory(pid: number): { rss: number; hwm: number } | undefined {
  const status = read(`/proc/${pid}/status`);
  if (!status) return undefined;
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
}

/** CPU milliseconds used by the process itself (utime + stime) and by its reaped children (cutime + cstime). */
export function cpuMs(pid: number): { self: number; children: number } | undefined {
  const f = statFields(pid);
  if (!f) return undefined;
  // After the name: [0]=state [1]=ppid … [11]=utime [12]=stime [13]=cutime [14]=cstime (fields 14–17 of proc(5)).
  const tick = 1000 / CLK_TCK;
  return { self: (Number(f[11]) + Number(f[12])) * tick, children: (Number(f[13]) + Number(f[14])) * tick };
}

export function parentPid(pid: number): number | undefined {
  const f = statFields(pid);
  return f ? Number(f[1]) : undefined;
}

/** Direct children of a process (all threads' children lists), falling back to a /proc scan. */
export function children(pid: number): number[] {
  const out = new Set<number>();
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  let sawFile = false;
  for (const tid of tasks) {
    const list = read(`/proc/${pid}/task/${tid}/children`);
    if (list === undefined) continue;
    sawFile = true;
    for (const c of list.trim().split(/\s+/)) if (c) out.add(Number(c));
  }
  if (!sawFile) {
    for (const entry of fs.readdirSync('/proc')) {
      if (/^\d+$/.test(entry) && parentPid(Number(entry)) === pid) out.add(Number(entry));
    }
  }
  return [...out];
}

/** Every descendant of a process (not the process itself). */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = children(pid);
  while (stack.length) {
    const next = stack.pop()!;
    out.push(next);
    stack.push(...children(next));
  }
  return out;
}

export function commandLine(pid: number): string {
  return (read(`/proc/${pid}/cmdline`) ?? '').replace(/\0/g, ' ').trim();
}

/** Pids whose command line satisfies `match` (a /proc scan). */
export function findProcesses(match: (cmdline: string) => boolean): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = commandLine(Number(entry));
    if (cmd && match(cmd)) out.push(Number(entry));
  }
  return out;
}

/**
 * CPU ms of a whole process tree: each live member's own time, plus the reaped children's time of the
 * root (Postgres backends that exited, for instance). Take two snapshots and subtract.
 */
export function treeCpuMs(root: number): number {
  const rootCpu = cpuMs(root);
  if (!rootCpu) return 0;
  let total = rootCpu.self + rootCpu.children;
  for (const pid of descendants(root)) total += cpuMs(pid)?.self ?? 0;
  return total;
}

/** Whole-machine CPU: busy and total jiffies from /proc/stat (for "how much of the 2 cores was used"). */
export function machineCpu(): { busy: number; total: number; steal: number } {
  const line = (read('/proc/stat') ?? '').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // user … steal (guest is already in user)
  // Steal: time this VM's CPUs were runnable but the hypervisor ran something else.
  return { busy: total - idle, total, steal: v[7] ?? 0 };
}
