// The only reader of process.env. Validated once at boot; a bad value stops the process with a
// message naming the variable, never a stack trace.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  MONGOMS_SYSTEM_BINARY: z.string().min(1).optional(),
  MONGOMS_DOWNLOAD_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  KEY_HASH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_URL: z.string().url().optional(),
  TRUST_PROXY: z.string().default('loopback'),
  API_KEY_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(120),
  AUTH_FAILURE_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(10),
  SIGNIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(20),
  SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30)
    .default(60 * 12),
  MAIL_TRANSPORT: z.enum(['outbox', 'log']).default('outbox'),
  MAIL_OUTBOX_FILE: z.string().min(1).optional(),
  HOOKS_ALLOW_PRIVATE_TARGETS: bool.default(false),
  HOOKS_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(5000),
  HOOKS_MAX_PER_KEY: z.coerce.number().int().min(1).max(10000).default(50),
  /** How often each process polls MongoDB for undispatched events and due deliveries. */
  HOOKS_POLL_INTERVAL_MS: z.coerce.number().int().min(20).max(10000).default(250),
  /** Deliveries one process runs at the same time (a slow receiver must not hold up the others). */
  HOOKS_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'like 100kb or 1mb')
    .default('100kb'),
});

export type Env = z.infer<typeof envSchema>;
export type Config = Readonly<
  Env & { SESSION_SECRET: string; KEY_HASH_SECRET: string; MAIL_OUTBOX_FILE: string; isProduction: boolean }
>;

export class ConfigError extends Error {}

/** Parses the environment. Secrets: required in production; otherwise generated once into DATA_DIR (or per process in tests). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  if (isProduction) {
    const missing = (['SESSION_SECRET', 'KEY_HASH_SECRET'] as const).filter((k) => !e[k]);
    if (missing.length)
      throw new ConfigError(`Invalid configuration:\n  ${missing.join(', ')}: required in production`);
  }
  const secrets =
    e.SESSION_SECRET && e.KEY_HASH_SECRET
      ? { SESSION_SECRET: e.SESSION_SECRET, KEY_HASH_SECRET: e.KEY_HASH_SECRET }
      : { ...generatedSecrets(e.NODE_ENV === 'test' ? undefined : e.DATA_DIR), ...pickDefined(e) };
  return Object.freeze({
    ...e,
    ...secrets,
    MAIL_OUTBOX_FILE: e.MAIL_OUTBOX_FILE ?? path.join(e.DATA_DIR, 'outbox.jsonl'),
    isProduction,
  });
}

function pickDefined(e: Env): Partial<Pick<Env, 'SESSION_SECRET' | 'KEY_HASH_SECRET'>> {
  const out: Partial<Pick<Env, 'SESSION_SECRET' | 'KEY_HASH_SECRET'>> = {};
  if (e.SESSION_SECRET) out.SESSION_SECRET = e.SESSION_SECRET;
  if (e.KEY_HASH_SECRET) out.KEY_HASH_SECRET = e.KEY_HASH_SECRET;
  return out;
}

/** Kept in DATA_DIR so sessions and keys survive a restart of the development server. */
function generatedSecrets(dataDir: string | undefined): { SESSION_SECRET: string; KEY_HASH_SECRET: string } {
  const fresh = () => ({
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    KEY_HASH_SECRET: randomBytes(32).toString('base64url'),
  });
  if (!dataDir) return fresh();
  const file = path.join(dataDir, 'secrets.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { SESSION_SECRET: string; KEY_HASH_SECRET: string };
  } catch {
    const secrets = fresh();
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600, flag: 'wx' });
    return secrets;
  }
}
