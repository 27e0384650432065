// Database operations per HTTP request, read from the database itself: `serverStatus` →
// `metrics.commands.<name>.total` (mongod reports it; the embedded server does too), before and
// after N sequential requests, minus what the same time costs with no requests at all (background
// workers poll the database). Only data commands count: the driver's handshakes and heartbeats
// (hello, ping, …) are connection upkeep, not work a request asks for.
import type { MongoClient } from 'mongodb';

export const DATA_COMMANDS = [
  'find',
  'getMore',
  'killCursors',
  'aggregate',
  'findAndModify',
  'insert',
  'update',
  'delete',
  'count',
  'distinct',
] as const;

export type CommandCounts = Record<string, number>;

export async function commandCounts(client: MongoClient): Promise<CommandCounts> {
  const status = await client.db('admin').command({ serverStatus: 1 });
  const commands = ((status.metrics as Record<string, unknown> | undefined)?.commands ?? {}) as Record<
    string,
    { total?: unknown }
  >;
  return Object.fromEntries(DATA_COMMANDS.map((name) => [name, Number(commands[name]?.total ?? 0)]));
}

const diff = (a: CommandCounts, b: CommandCounts): CommandCounts =>
  Object.fromEntries(DATA_COMMANDS.map((n) => [n, (b[n] ?? 0) - (a[n] ?? 0)]));

const total = (c: CommandCounts): number => Object.values(c).reduce((s, v) => s + v, 0);

export interface OpCost {
  requests: number;
  /** Data commands per request, background noise removed. */
  perRequest: number;
  /** Per command name, per request. */
  breakdown: Record<string, number>;
}

/**
 * Runs `send` `n` times one after another and returns the data commands each request cost. The
 * noise of background workers is measured over an idle pause of the same length and subtracted.
 */
export async function measureOps(
  client: MongoClient,
  n: number,
  send: (i: number) => Promise<void>,
): Promise<OpCost> {
  const before = await commandCounts(client);
  const started = Date.now();
  for (let i = 0; i < n; i++) await send(i);
  const elapsed = Date.now() - started;
  const after = await commandCounts(client);
  await new Promise((r) => setTimeout(r, elapsed));
  const idle = diff(after, await commandCounts(client));
  const busy = diff(before, after);
  const breakdown = Object.fromEntries(
    DATA_COMMANDS.map((name) => [name, Math.max(0, (busy[name] ?? 0) - (idle[name] ?? 0)) / n]).filter(
      ([, v]) => (v as number) > 0,
    ),
  ) as Record<string, number>;
  // Each serverStatus read is itself a command, but not a data command: nothing to correct.
  return { requests: n, perRequest: Math.max(0, total(busy) - total(idle)) / n, breakdown };
}
