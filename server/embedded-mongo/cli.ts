// Standalone runner: `node dist/server/embedded-mongo/cli.js --port 27018 --data-dir ./x [--index-coverage] [--fsync]`.
// Prints one JSON line {"event":"listening","port":N,"uri":"..."} once ready; SIGTERM/SIGINT stop it cleanly.
import { EmbeddedMongoServer, type EmbeddedMongoOptions } from './index';

function parseArgs(argv: string[]): EmbeddedMongoOptions {
  const options: EmbeddedMongoOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--port') options.port = Number(value());
    else if (arg === '--host') options.host = value();
    else if (arg === '--data-dir') options.dataDir = value();
    else if (arg === '--index-coverage') options.indexCoverage = true;
    else if (arg === '--fsync') options.fsync = true;
    else if (arg === '--journal-max-entries') options.journalMaxEntries = Number(value());
    else if (arg === '--journal-max-bytes') options.journalMaxBytes = Number(value());
    else if (arg === '--compaction-batch-delay-ms') options.compactionBatchDelayMs = Number(value());
    else if (arg === '--ttl-interval-ms') options.ttlIntervalMs = Number(value());
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  options.onLog = (level, msg, extra) =>
    process.stderr.write(JSON.stringify({ level, msg, ...extra }) + '\n');
  const server = await EmbeddedMongoServer.start(options);
  process.stdout.write(JSON.stringify({ event: 'listening', port: server.port, uri: server.uri }) + '\n');
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`embedded-mongo: stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`embedded-mongo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
