// Operation counters as mongod reports them in `serverStatus`: `opcounters` (insert/update/delete
// count statements, query = find, getmore, command = everything else) and
// `metrics.commands.<name>.{total,failed}`. The benchmark and the reliability suite read them to
// count the round trips one HTTP request costs, the same way on this server and on a real mongod.
import type { Document } from 'bson';
import type { ServerInfo } from './context';

export interface OpCounters {
  insert: number;
  query: number;
  update: number;
  delete: number;
  getmore: number;
  command: number;
}

interface Counters {
  opcounters: OpCounters;
  commands: Map<string, { total: number; failed: number }>;
}

// Keyed by the server's info object, so every server in a process has its own counters and
// neither the store nor the wire layer needs to know about them.
const byServer = new WeakMap<ServerInfo, Counters>();

function countersOf(info: ServerInfo): Counters {
  let counters = byServer.get(info);
  if (!counters) {
    counters = {
      opcounters: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
      commands: new Map(),
    };
    byServer.set(info, counters);
  }
  return counters;
}

const statements = (cmd: Document, field: string): number => {
  const list: unknown = cmd[field];
  return Array.isArray(list) ? list.length : 1;
};

/** Counts one command (after it ran: `failed` when its reply has ok: 0). */
export function countCommand(info: ServerInfo, name: string, cmd: Document, failed: boolean): void {
  const { opcounters, commands } = countersOf(info);
  if (name === 'insert') opcounters.insert += statements(cmd, 'documents');
  else if (name === 'update') opcounters.update += statements(cmd, 'updates');
  else if (name === 'delete') opcounters.delete += statements(cmd, 'deletes');
  else if (name === 'find') opcounters.query += 1;
  else if (name === 'getMore') opcounters.getmore += 1;
  else opcounters.command += 1;
  const entry = commands.get(name) ?? { total: 0, failed: 0 };
  entry.total += 1;
  if (failed) entry.failed += 1;
  commands.set(name, entry);
}

/** The `opcounters` and `metrics.commands` sections of a `serverStatus` reply. */
export function counterSections(info: ServerInfo): { opcounters: OpCounters; commands: Document } {
  const { opcounters, commands } = countersOf(info);
  return {
    opcounters: { ...opcounters },
    commands: Object.fromEntries([...commands].map(([k, v]) => [k, { ...v }])),
  };
}
