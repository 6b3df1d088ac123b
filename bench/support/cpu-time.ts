import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The pids of `pid` and all its descendants (tsx runs the real program as a child). */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) {
    try {
      const tasks = readFileSync(`/proc/${tree[i]}/task/${tree[i]}/children`, 'utf8').trim();
      if (tasks) tree.push(...tasks.split(/\s+/).map(Number));
    } catch {
      // Gone meanwhile: it has no more CPU to count.
    }
  }
  return tree;
}

/** User + system CPU seconds one process has used (0 once it is gone). */
function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by `pid` and its descendants. */
export const treeCpuSeconds = (pid: number): number =>
  processTree(pid).reduce((sum, p) => sum + cpuSecondsOf(p), 0);

/** The pid of the machine's MariaDB server, if this user can see it. */
export function mariadbPid(): number | undefined {
  try {
    const pids = execFileSync('pgrep', ['-o', '-x', 'mariadbd'], { encoding: 'utf8' }).trim().split(/\s+/);
    return pids[0] ? Number(pids[0]) : undefined;
  } catch {
    return undefined;
  }
}
