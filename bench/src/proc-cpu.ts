import { readdirSync, readFileSync } from 'node:fs';

// CPU time read from /proc (Linux), for benchmarks that share the machine with a local
// PostgreSQL server. Every reader returns undefined where /proc cannot tell.

const TICK_MS = 10; // USER_HZ is 100 on Linux.

function fields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields start after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * CPU milliseconds (user + system) used so far by the process tree of the PostgreSQL
 * postmaster `postmasterPid`: its own time, the time of its children that have exited
 * (cutime + cstime; the postmaster reaps its backends) and of its live children.
 */
export function serverCpuMs(postmasterPid: number): number | undefined {
  const own = fields(postmasterPid);
  if (own === undefined) return undefined;
  // After ")": state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = fields(Number(entry));
    if (f === undefined || Number(f[1]) !== postmasterPid) continue;
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * TICK_MS;
}

/** The parent process id of `pid` (a backend's parent is the postmaster). */
export function parentPid(pid: number): number | undefined {
  const f = fields(pid);
  return f === undefined ? undefined : Number(f[1]);
}

/** Busy and total CPU milliseconds of the whole machine so far (all cores), from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
    return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
  } catch {
    return undefined;
  }
}
