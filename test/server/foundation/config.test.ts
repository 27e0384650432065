import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../server/config';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sb-config-'));

describe('loadConfig', () => {
  it('when nothing is set, then it has the documented defaults', () => {
    const dir = tmp();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({
      PORT: 3000,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      API_KEY_RATE_LIMIT: 120,
    });
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.MAIL_OUTBOX_FILE).toBe(path.join(dir, 'outbox.jsonl'));
    fs.rmSync(dir, { recursive: true });
  });

  it('when a value is invalid, then it fails naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MONGODB_URI: 'http://x' })).toThrow(/MONGODB_URI/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('when in production without secrets, then it refuses to start', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://db/x' })).toThrow(
      /SESSION_SECRET, KEY_HASH_SECRET: required in production/,
    );
  });

  it('when secrets are not set in development, then they are generated once and kept in DATA_DIR', () => {
    const dir = tmp();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.KEY_HASH_SECRET).toHaveLength(43);
    expect(second.KEY_HASH_SECRET).toBe(first.KEY_HASH_SECRET);
    expect(second.SESSION_SECRET).toBe(first.SESSION_SECRET);
    expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true });
  });
});
