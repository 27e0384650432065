// config → database → listen; graceful shutdown on SIGTERM/SIGINT.
import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import type { AppContext } from './context';
import { startDatabase } from './shared/database';
import { createLogger } from './shared/logger';
import { startWorkers } from './workers';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.LOG_LEVEL);
  const db = await startDatabase({
    mongodbUri: config.MONGODB_URI,
    dataDir: config.DATA_DIR,
    mongodBinary: { systemBinary: config.MONGOMS_SYSTEM_BINARY, downloadDir: config.MONGOMS_DOWNLOAD_DIR },
    logger,
  });
  const ctx: AppContext = { config, logger, db, now: () => new Date() };
  const server = createApp(ctx).listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const workers = startWorkers(ctx);
  logger.info(
    { port, db: db.tier },
    `Switchboard listening on http://localhost:${port} (database: ${db.tier})`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    await Promise.all([closeServer(server), workers.stop()]);
    await db.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Stops accepting, lets in-flight requests finish, then drops idle keep-alive sockets. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`Switchboard failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
