// `npm run bench`: starts the database and the built server in their own processes, seeds them,
// drives them from this process with autocannon, counts database operations per request, and
// writes bench/results/<time>.{json,md} plus README.md's Performance section. See that section for how
// to read the figures. Tunables (environment): MONGODB_URI (use that database instead of the
// embedded one), BENCH_SECONDS (3), BENCH_ROUNDS (3), BENCH_CONNECTIONS (1,8,32), BENCH_SMALL (10000),
// BENCH_LARGE (100000), BENCH_LOG_LEVEL (warn), BENCH_DURABLE=1 (embedded database with a data
// directory: its journal compaction then pauses it for seconds every 10,000 writes).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withCpu } from './cpu';
import { runLoad, type LoadResult, type Scenario } from './load';
import { measureOps, type OpCost } from './opcount';
import { startEmbeddedMongo, startServer, type Child } from './processes';
import { markdownReport, targetsOf, type BenchReport } from './report';
import { connect, createKey, defaultPipeline, logIn, seedWorkspace, signUpUser } from './seed';

const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 3);
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 3));
const CONNECTIONS = (env.BENCH_CONNECTIONS ?? '1,8,32').split(',').map(Number);
const SMALL = Number(env.BENCH_SMALL ?? 10_000);
const LARGE = Number(env.BENCH_LARGE ?? 100_000);
const LOG_LEVEL = env.BENCH_LOG_LEVEL ?? 'warn';
const DURABLE = env.BENCH_DURABLE === '1';
// BENCH_SCENARIOS: comma-separated parts of scenario names to run (e.g. `health,me`); all by default.
const ONLY = env.BENCH_SCENARIOS?.split(',')
  .map((s) => s.trim().toLowerCase())
  .filter(Boolean);
const OP_SAMPLES = 200;

const repoRoot = path.resolve(__dirname, '../..');
const log = (msg: string): void => void process.stdout.write(`[bench] ${msg}\n`);

/** Puts a fresh database name into a connection string (keeping its host list and options). */
export function withDatabase(uri: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error('MONGODB_URI is not a mongodb:// or mongodb+srv:// connection string');
  return `${match[1]}/${name}${match[2] ?? ''}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const children: Child[] = [];
  const external = Boolean(env.MONGODB_URI);
  const dbName = `switchboard_bench_${randomBytes(4).toString('hex')}`;
  let client: Awaited<ReturnType<typeof connect>> | undefined;
  const pids: { server?: number; database?: number } = {};
  try {
    let uri: string;
    if (external) {
      uri = withDatabase(env.MONGODB_URI!, dbName);
      log(`database: MONGODB_URI (external MongoDB), database ${dbName}`);
    } else {
      const mongo = await startEmbeddedMongo(DURABLE ? path.join(tmp, 'db') : undefined);
      children.push(mongo);
      pids.database = mongo.child.pid;
      uri = `${mongo.uri}${dbName}`;
      log(
        `database: embedded (separate process, ${DURABLE ? `data dir ${path.join(tmp, 'db')}` : 'in memory'})`,
      );
    }
    const server = await startServer(
      {
        NODE_ENV: 'production',
        SESSION_SECRET: randomBytes(32).toString('hex'),
        KEY_HASH_SECRET: randomBytes(32).toString('hex'),
        MONGODB_URI: uri,
        DATA_DIR: path.join(tmp, 'data'),
        LOG_LEVEL,
        API_KEY_RATE_LIMIT: '100000',
        SIGNIN_RATE_LIMIT: '1000',
        // Background pollers stay on (as in production) but slow, so they barely touch the figures.
        HOOKS_POLL_INTERVAL_MS: '2000',
      },
      path.join(tmp, 'server.log'),
    );
    children.push(server);
    pids.server = server.child.pid;
    const base = server.baseUrl;
    log(`server: ${base} (node dist/server/index.js, NODE_ENV=production, LOG_LEVEL=${LOG_LEVEL})`);

    // People and keys through the API; a key per scenario so no scenario eats another's rate window.
    const small = await signUpUser(base, 'small');
    const large = await signUpUser(base, 'large');
    const writer = await signUpUser(base, 'writer');
    const keys = {
      me: await createKey(base, small, 'bench me'),
      small: await createKey(base, small, 'bench contacts 10k'),
      large: await createKey(base, large, 'bench contacts 100k'),
      create: await createKey(base, writer, 'bench create'),
      ops: await createKey(base, small, 'bench op count'),
    };
    const cookie = await logIn(base, small);

    client = await connect(uri);
    const db = client.db();
    for (const [user, key, count] of [
      [small, keys.small, SMALL],
      [large, keys.large, LARGE],
      [writer, keys.create, Math.min(SMALL, 1000)],
    ] as const) {
      const t0 = Date.now();
      const pipeline = await defaultPipeline(base, key);
      let lastShown = 0;
      await seedWorkspace(
        db,
        { workspaceId: user.workspaceId, ownerId: user.userId, pipeline },
        count,
        (done) => {
          if (done - lastShown >= 25_000 || done === count) {
            lastShown = done;
            log(`seeding ${count.toLocaleString('en')} contacts: ${done.toLocaleString('en')}`);
          }
        },
      );
      log(
        `seeded a workspace with ${count.toLocaleString('en')} contacts (+${count / 10} deals, messages) in ${Date.now() - t0} ms`,
      );
    }

    const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
    let unique = 0;
    const allScenarios: Scenario[] = [
      { name: 'GET /health', method: 'GET', path: '/health' },
      { name: 'GET /api/v1/me (key)', method: 'GET', path: '/api/v1/me', headers: bearer(keys.me) },
      {
        name: `GET /api/v1/contacts?limit=25 (key, ${fmtCount(SMALL)})`,
        method: 'GET',
        path: '/api/v1/contacts?limit=25',
        headers: bearer(keys.small),
      },
      {
        name: `GET /api/v1/contacts?limit=25 (key, ${fmtCount(LARGE)})`,
        method: 'GET',
        path: '/api/v1/contacts?limit=25',
        headers: bearer(keys.large),
      },
      {
        name: `GET /app/contacts?limit=25 (session, ${fmtCount(SMALL)})`,
        method: 'GET',
        path: '/app/contacts?limit=25',
        headers: { cookie },
      },
      {
        name: 'POST /api/v1/contacts (key)',
        method: 'POST',
        path: '/api/v1/contacts',
        headers: bearer(keys.create),
        body: () => ({ name: 'Bench contact', email: `bench-${Date.now()}-${unique++}@example.test` }),
      },
    ];
    const scenarios = allScenarios.filter(
      (s) => !ONLY || ONLY.some((part) => s.name.toLowerCase().includes(part)),
    );

    // Counted first, while nothing else has written: a create's domain events keep the hooks
    // outbox busy for a while afterwards, which would not be noise of constant rate.
    log(`counting database operations per request (${OP_SAMPLES} sequential requests each)`);
    const send = (p: string, headers: Record<string, string>) => async () => {
      const res = await fetch(`${base}${p}`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${p} → ${res.status}`);
    };
    const ops: Record<string, OpCost> = {
      'GET /api/v1/me (key)': await measureOps(client, OP_SAMPLES, send('/api/v1/me', bearer(keys.ops))),
      'GET /api/v1/contacts?limit=25 (key)': await measureOps(
        client,
        OP_SAMPLES,
        send('/api/v1/contacts?limit=25', bearer(keys.ops)),
      ),
      'GET /app/contacts?limit=25 (session)': await measureOps(
        client,
        OP_SAMPLES,
        send('/app/contacts?limit=25', { cookie }),
      ),
    };
    for (const [name, cost] of Object.entries(ops))
      log(
        `${name.padEnd(40)} ${cost.perRequest.toFixed(2)} database operations per request ${JSON.stringify(cost.breakdown)}`,
      );

    // Warm up every route (JIT, connection pools) before measuring anything.
    for (const s of scenarios) await runLoad(base, s, 8, 1);

    // Each concurrency level runs every scenario ROUNDS times, interleaved (health, me, …, health,
    // me, …), and keeps the round with the median throughput: a noisy neighbour on a shared machine
    // then moves one round of each scenario, not one scenario's only figure.
    const results: LoadResult[] = [];
    for (const connections of CONNECTIONS) {
      const rounds = new Map<string, LoadResult[]>();
      for (let round = 1; round <= ROUNDS; round++) {
        for (const s of scenarios) {
          await settle(client);
          const { result: r, cpu } = await withCpu(
            pids,
            () => runLoad(base, s, connections, SECONDS),
            (x) => x.requests,
          );
          r.cpu = cpu;
          rounds.set(s.name, [...(rounds.get(s.name) ?? []), r]);
          log(
            `${s.name.padEnd(44)} c=${String(connections).padStart(2)} round ${round}/${ROUNDS}  ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms` +
              `  cpu ms/req server ${cpu.server ?? '–'} db ${cpu.database ?? '–'} load ${cpu.loadGenerator}` +
              (r.non2xx || r.errors ? `  (non-2xx ${r.non2xx}, errors ${r.errors})` : ''),
          );
        }
      }
      for (const s of scenarios) {
        const runs = rounds.get(s.name) ?? [];
        const median = [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
        if (median) results.push({ ...median, roundsRps: runs.map((x) => x.rps) });
      }
    }

    const report: BenchReport = {
      date: new Date().toISOString(),
      database: external
        ? 'MongoDB (MONGODB_URI)'
        : `embedded (separate process, ${DURABLE ? 'durable' : 'in memory'})`,
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${os.platform()}`,
      logLevel: LOG_LEVEL,
      seconds: SECONDS,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      sizes: { small: SMALL, large: LARGE },
      results,
      ops,
      targets: [],
      durationSeconds: 0,
    };
    report.targets = targetsOf(report);
    report.durationSeconds = Math.round((Date.now() - started) / 1000);
    const markdown = await prettyMarkdown(markdownReport(report), path.join(repoRoot, 'README.md'));
    const outDir = path.join(repoRoot, 'bench/results');
    fs.mkdirSync(outDir, { recursive: true });
    const stamp = report.date.replace(/[:.]/g, '-');
    fs.writeFileSync(path.join(outDir, `${stamp}.json`), JSON.stringify(report, null, 2));
    fs.writeFileSync(path.join(outDir, `${stamp}.md`), markdown);
    spliceIntoReadme(path.join(repoRoot, 'README.md'), markdown);
    process.stdout.write(`\n${markdown}\n`);
    log(
      `wrote bench/results/${stamp}.{json,md} and README.md's Performance section (${report.durationSeconds} s)`,
    );
  } finally {
    if (client && external)
      await client
        .db()
        .dropDatabase()
        .catch(() => undefined);
    await client?.close();
    for (const c of children.reverse()) await c.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Formats like `npm run format` would, so the committed file passes `prettier --check`. */
async function prettyMarkdown(markdown: string, file: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(markdown, { ...options, parser: 'markdown' });
  } catch {
    return markdown; // prettier is a dev dependency; without it the table is still valid Markdown
  }
}

/**
 * Waits until the previous scenario's leftovers are done: requests autocannon abandoned at the end
 * of its run are still being answered, and the database works through their queries in order.
 * A ping is answered once everything queued before it has run (the embedded server runs one
 * command at a time), so three quick pings in a row mean the next scenario starts on a quiet system.
 */
async function settle(client: Awaited<ReturnType<typeof connect>>): Promise<void> {
  let quiet = 0;
  const deadline = Date.now() + 60_000;
  while (quiet < 3 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await client.db().command({ ping: 1 });
    quiet = Date.now() - t0 < 20 ? quiet + 1 : 0;
  }
}

const fmtCount = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}

/** Replaces the README's Performance section (between its BENCH markers) with the latest report. */
function spliceIntoReadme(readme: string, markdown: string): void {
  const text = fs.readFileSync(readme, 'utf8');
  const start = '<!-- BENCH:START -->';
  const end = '<!-- BENCH:END -->';
  const [before, rest] = text.split(start);
  const after = rest?.split(end)[1];
  if (before === undefined || after === undefined)
    throw new Error(`README.md lacks the ${start} … ${end} markers`);
  fs.writeFileSync(readme, `${before}${start}\n${markdown.trim()}\n${end}${after}`);
}
