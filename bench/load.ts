// One load run with autocannon: a fixed number of keep-alive connections sending as fast as the
// server answers, for a fixed time. Latency percentiles are computed here from every response's
// time in fractional milliseconds (autocannon's own histogram rounds to whole milliseconds, too
// coarse for a sub-millisecond /health).
import autocannon from 'autocannon';
import type { CpuCost } from './cpu';

export interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A fresh JSON body per request (e.g. a unique email for each create). */
  body?: () => unknown;
}

export interface LoadResult {
  scenario: string;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  /** Responses that were not 2xx, and socket errors/timeouts. */
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  /** CPU milliseconds per request in each process (filled in by the caller). */
  cpu?: CpuCost;
  /** Throughput of every round when this is the median one of several (filled in by the caller). */
  roundsRps?: number[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runLoad(
  baseUrl: string,
  scenario: Scenario,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const makeBody = scenario.body;
  const instance = autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: scenario.method,
        path: scenario.path,
        headers: { ...(makeBody ? { 'content-type': 'application/json' } : {}), ...scenario.headers },
        ...(makeBody ? { setupRequest: (req) => ({ ...req, body: JSON.stringify(makeBody()) }) } : {}),
      },
    ],
  });
  const times: number[] = [];
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) times.push(ms);
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count]));
  const ok = times.length;
  return {
    scenario: scenario.name,
    connections,
    seconds,
    requests: result.requests.total,
    rps: round(ok / result.duration, 0),
    p50: round(percentile(times, 50)),
    p99: round(percentile(times, 99)),
    mean: round(ok ? times.reduce((s, t) => s + t, 0) / ok : NaN),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statuses,
  };
}
