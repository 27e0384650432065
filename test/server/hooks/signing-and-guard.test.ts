// The pure pieces of hook delivery: signatures, the SSRF guard's address rules, the retry schedule
// and the payload shape. The HTTP behaviour built on them is tested in the other files.
import { loadConfig } from '../../../server/config';
import { RETRY_WINDOW_MS, retryDelayMs } from '../../../server/hooks/delivery';
import { matchesFilters, payloadOf } from '../../../server/hooks/payload';
import {
  decryptSecret,
  encryptSecret,
  generateSigningSecret,
  signatureHeader,
  verifySignature,
} from '../../../server/hooks/signing';
import {
  checkTarget,
  checkTargetSyntax,
  isBlockedAddress,
  TargetRefusedError,
} from '../../../server/hooks/target-guard';

const production = { isProduction: true, HOOKS_ALLOW_PRIVATE_TARGETS: false };
const productionAllowingPrivate = { isProduction: true, HOOKS_ALLOW_PRIVATE_TARGETS: true };
const development = { isProduction: false, HOOKS_ALLOW_PRIVATE_TARGETS: false };

describe('signatures', () => {
  const secret = generateSigningSecret();
  const body = JSON.stringify({ id: 'evt', type: 'contact.created', data: { name: 'Ada' } });
  const t = 1_750_000_000;

  it('when the receiver recomputes the HMAC with the secret, then the signature verifies', () => {
    const header = signatureHeader(secret, t, body);
    expect(header).toMatch(/^t=1750000000,v1=[a-f0-9]{64}$/);
    expect(verifySignature(secret, header, body, t + 10)).toBe(true);
  });

  it('when the body, the secret or the timestamp differ, then it does not verify', () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignature(secret, header, body.replace('Ada', 'Eve'), t)).toBe(false);
    expect(verifySignature(generateSigningSecret(), header, body, t)).toBe(false);
    expect(verifySignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, t)).toBe(false);
    expect(verifySignature(secret, header, body, t + 301)).toBe(false);
    expect(verifySignature(secret, 'garbage', body, t)).toBe(false);
  });

  it('when a secret is stored, then only the server secret it was encrypted with reads it back', () => {
    const server = 'x'.repeat(40);
    const stored = encryptSecret(secret, server);
    expect(stored).not.toContain(secret);
    expect(decryptSecret(stored, server)).toBe(secret);
    expect(() => decryptSecret(stored, 'y'.repeat(40))).toThrow();
  });
});

describe('SSRF guard', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:1',
  ])('when an address is %s, then it is blocked', (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'when an address is public (%s), then it is allowed',
    (ip) => {
      expect(isBlockedAddress(ip)).toBe(false);
    },
  );

  it('when in production, then http, credentials, internal names and private literals are refused', () => {
    const refused = [
      'http://example.com/hook',
      'https://user:pw@example.com/hook',
      'https://localhost/hook',
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://metadata.google.internal/computeMetadata',
      'https://10.0.0.5/hook',
      'ftp://example.com/hook',
      'not a url',
    ];
    for (const url of refused) expect(() => checkTargetSyntax(url, production)).toThrow(TargetRefusedError);
    expect(checkTargetSyntax('https://hooks.example.com/a?b=1#frag', production).toString()).toBe(
      'https://hooks.example.com/a?b=1',
    );
  });

  it('when in production, then a name resolving to loopback is refused after DNS', async () => {
    await expect(checkTarget('https://localhost.:8443/hook', production)).rejects.toThrow(TargetRefusedError);
  });

  it('when HOOKS_ALLOW_PRIVATE_TARGETS is on, then private https targets pass but http still does not', async () => {
    await expect(
      checkTarget('https://127.0.0.1:8443/hook', productionAllowingPrivate),
    ).resolves.toBeInstanceOf(URL);
    expect(() => checkTargetSyntax('http://127.0.0.1/hook', productionAllowingPrivate)).toThrow(
      TargetRefusedError,
    );
  });

  it('when in development, then http is allowed to loopback only', () => {
    expect(checkTargetSyntax('http://127.0.0.1:3000/hook', development)).toBeInstanceOf(URL);
    expect(checkTargetSyntax('http://localhost:3000/hook', development)).toBeInstanceOf(URL);
    expect(() => checkTargetSyntax('http://example.com/hook', development)).toThrow(TargetRefusedError);
    expect(checkTargetSyntax('https://example.com/hook', development)).toBeInstanceOf(URL);
  });

  it('when the config says production, then the guard reads it from there', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(32),
      KEY_HASH_SECRET: 'k'.repeat(32),
    });
    expect(() => checkTargetSyntax('https://127.0.0.1/hook', config)).toThrow(TargetRefusedError);
  });
});

describe('retry schedule', () => {
  it('when the first attempt fails, then the first retry comes within a minute', () => {
    expect(retryDelayMs(1, () => 0.999)).toBeLessThan(60_000);
    expect(retryDelayMs(1, () => 0)).toBeGreaterThanOrEqual(15_000);
  });

  it('when attempts keep failing, then delays grow exponentially with jitter and are capped at an hour', () => {
    expect(retryDelayMs(2, () => 0.999)).toBeGreaterThan(retryDelayMs(1, () => 0.999));
    expect(retryDelayMs(3, () => 0)).toBe(60_000);
    expect(retryDelayMs(40, () => 0.999)).toBeLessThanOrEqual(3600_000);
    const jittered = new Set(Array.from({ length: 20 }, () => retryDelayMs(5)));
    expect(jittered.size).toBeGreaterThan(1);
  });

  it('when retried at the slowest pace, then attempts continue for at least 24 hours', () => {
    let elapsed = 0;
    let attempts = 1;
    while (elapsed < RETRY_WINDOW_MS) elapsed += retryDelayMs(attempts++, () => 0.999);
    expect(attempts).toBeGreaterThan(20);
  });
});

describe('payload and filters', () => {
  const deal = {
    id: 'd1',
    workspace_id: 'w',
    owner_id: 'o',
    visibility: 'workspace',
    pipeline_id: 'p1',
    stage_id: 's2',
    title: 'Big deal',
  };
  const event = {
    _id: '65f000000000000000000001',
    type: 'deal.stage_changed' as const,
    record: deal,
    data: {
      from_stage_id: 's1',
      to_stage_id: 's2',
      pipeline_id: 'p1',
      changed_at: new Date('2025-01-02T03:04:05Z'),
    },
    occurred_at: new Date('2025-01-02T03:04:05Z'),
  };

  it('when a deal changes stage, then the payload carries the record and the from/to stages at the top level', () => {
    expect(payloadOf(event)).toEqual({
      id: '65f000000000000000000001',
      type: 'deal.stage_changed',
      occurred_at: '2025-01-02T03:04:05.000Z',
      data: deal,
      from_stage_id: 's1',
      to_stage_id: 's2',
      pipeline_id: 'p1',
      changed_at: '2025-01-02T03:04:05.000Z',
    });
  });

  it('when filters name a pipeline or a to-stage, then only matching events pass', () => {
    const asFilters = (f: object) => f as Parameters<typeof matchesFilters>[0];
    expect(matchesFilters(asFilters({}), event)).toBe(true);
    expect(matchesFilters(asFilters({ pipeline_id: 'p1', stage_id: 's2' }), event)).toBe(true);
    expect(matchesFilters(asFilters({ stage_id: 's1' }), event)).toBe(false);
    expect(matchesFilters(asFilters({ pipeline_id: 'p9' }), event)).toBe(false);
  });
});
