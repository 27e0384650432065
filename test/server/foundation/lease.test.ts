// Named leases (server/shared/lease.ts) on the real database tier: the guard behind the key and
// subscription limits.
import { AppError } from '../../../server/shared/errors';
import { LeaseModel, withLease } from '../../../server/shared/lease';
import { startTestApp, type TestApp } from '../../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withLease', () => {
  test('when several callers want the same lease, then their work never overlaps, and each runs once', async () => {
    const log: string[] = [];
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        withLease('test:same', async () => {
          inside++;
          most = Math.max(most, inside);
          log.push(`in ${i}`);
          await sleep(10);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(log.sort()).toEqual(Array.from({ length: 6 }, (_, i) => `in ${i}`).sort());
    expect(await LeaseModel.countDocuments({ _id: 'test:same' })).toBe(0);
  });

  test('when callers want different leases, then they run at the same time', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      ['test:a', 'test:b', 'test:c'].map((name) =>
        withLease(name, async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(30);
          inside--;
        }),
      ),
    );
    expect(most).toBe(3);
  });

  test('when the work fails, then the error passes through and the lease is released', async () => {
    await expect(
      withLease('test:fail', async () => {
        throw new AppError('conflict', 'nope');
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await withLease('test:fail', async () => 'free again')).toBe('free again');
  });

  test('when a holder died without releasing, then the lease is taken once it expires', async () => {
    await LeaseModel.create({ _id: 'test:dead', holder: 'gone', until: new Date(Date.now() + 300) });
    const started = Date.now();
    expect(await withLease('test:dead', async () => 'taken')).toBe('taken');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  test('when a lease stays held, then the caller gets 503 service_unavailable with Retry-After after 5 s', async () => {
    await LeaseModel.create({ _id: 'test:stuck', holder: 'busy', until: new Date(Date.now() + 60_000) });
    const err = await withLease('test:stuck', async () => 'never').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 503, code: 'service_unavailable', headers: { 'Retry-After': '1' } });
  });
});
