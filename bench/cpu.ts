// CPU time spent by each process of a run (Linux /proc; elsewhere the figures are left out), so a
// scenario's cost can be split into server, database and load generator per request.
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux the benchmark targets

/** User + system CPU milliseconds a process has used so far, or undefined where /proc is missing. */
export function cpuMillis(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state, field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export interface CpuCost {
  /** CPU milliseconds per answered request, per process. */
  server?: number;
  database?: number;
  loadGenerator: number;
}

/** Runs `work` and returns its result with the CPU each process spent per `requests(result)`. */
export async function withCpu<T>(
  pids: { server?: number; database?: number },
  work: () => Promise<T>,
  requests: (result: T) => number,
): Promise<{ result: T; cpu: CpuCost }> {
  const before = {
    server: cpuMillis(pids.server),
    database: cpuMillis(pids.database),
    self: process.cpuUsage(),
  };
  const result = await work();
  const self = process.cpuUsage(before.self);
  const n = Math.max(1, requests(result));
  const per = (a?: number, b?: number) =>
    a === undefined || b === undefined ? undefined : round((b - a) / n);
  return {
    result,
    cpu: {
      server: per(before.server, cpuMillis(pids.server)),
      database: per(before.database, cpuMillis(pids.database)),
      loadGenerator: round((self.user + self.system) / 1000 / n),
    },
  };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
