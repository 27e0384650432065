import type { Document } from 'bson';
import { CommandError, asCommandError, errorReply } from '../errors';
import * as admin from './admin';
import type { CommandContext, Handler } from './context';
import * as ddl from './ddl';
import { countCommand } from './opcounters';
import { findAndModify } from './findAndModify';
import * as read from './read';
import * as write from './write';

export type { CommandContext, ServerInfo } from './context';

const HANDLERS: Record<string, Handler> = {
  hello: admin.hello,
  isMaster: admin.hello,
  ismaster: admin.hello,
  ping: admin.ping,
  buildInfo: admin.buildInfo,
  buildinfo: admin.buildInfo,
  getParameter: admin.getParameter,
  hostInfo: admin.hostInfo,
  serverStatus: admin.serverStatus,
  endSessions: admin.ok,
  killAllSessions: admin.ok,
  killSessions: admin.ok,
  refreshSessions: admin.ok,
  listDatabases: admin.listDatabases,
  dropDatabase: admin.dropDatabase,
  dbStats: admin.dbStats,
  collStats: admin.collStats,
  sbUnindexedQueries: admin.sbUnindexedQueries,
  insert: write.insert,
  update: write.update,
  delete: write.remove,
  find: read.find,
  getMore: read.getMore,
  killCursors: read.killCursors,
  count: read.count,
  distinct: read.distinct,
  aggregate: read.aggregate,
  findAndModify,
  findandmodify: findAndModify,
  create: ddl.create,
  drop: ddl.drop,
  createIndexes: ddl.createIndexes,
  listIndexes: ddl.listIndexes,
  dropIndexes: ddl.dropIndexes,
  deleteIndexes: ddl.dropIndexes,
  listCollections: ddl.listCollections,
  renameCollection: ddl.renameCollection,
};

/** A standalone mongod refuses every transaction field with exactly this error. */
const TXN_FIELDS = ['txnNumber', 'startTransaction', 'autocommit'];

export function runCommand(cmd: Document, ctx: CommandContext): Document {
  const name = Object.keys(cmd)[0];
  try {
    if (name === undefined) throw new CommandError('CommandNotFound', "no such command: ''");
    if (TXN_FIELDS.some((f) => f in cmd)) {
      throw new CommandError(
        'IllegalOperation',
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
    }
    const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
    if (!handler) throw new CommandError('CommandNotFound', `no such command: '${name}'`);
    const reply = handler(cmd, ctx);
    countCommand(ctx.info, name, cmd, reply.ok === 0);
    return reply;
  } catch (err) {
    // Only known commands are counted (as mongod does), so odd names cannot grow the table.
    if (name !== undefined && Object.hasOwn(HANDLERS, name)) countCommand(ctx.info, name, cmd, true);
    return errorReply(asCommandError(err));
  }
}

export const isWriteCommand = (cmd: Document): boolean =>
  ['insert', 'update', 'delete', 'findAndModify', 'findandmodify'].includes(Object.keys(cmd)[0] ?? '');
