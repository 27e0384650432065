// The coalescing helper behind key authentication, session accounts and rate-limit counters: what
// is asked for in the same turn of the event loop goes to the database as one batch, in order.
import { coalesce } from '../../../server/shared/coalesce';

function recorder() {
  const batches: string[][] = [];
  const load = coalesce<string, string>(async (keys) => {
    batches.push([...keys]);
    return keys.map((k) => (k.startsWith('bad') ? new Error(`no ${k}`) : k.toUpperCase()));
  });
  return { batches, load };
}

describe('coalesce', () => {
  test('when keys are asked for in the same turn, then they go as one batch in call order, repeats kept', async () => {
    const { batches, load } = recorder();
    const results = await Promise.all(['a', 'b', 'a', 'c'].map((k) => load(k)));
    expect(results).toEqual(['A', 'B', 'A', 'C']);
    expect(batches).toEqual([['a', 'b', 'a', 'c']]);
  });

  test('when a key is asked for after the previous batch was sent, then it is a new batch (no answer is reused)', async () => {
    const { batches, load } = recorder();
    expect(await load('a')).toBe('A');
    expect(await load('a')).toBe('A');
    expect(batches).toEqual([['a'], ['a']]);
  });

  test('when one key fails, then only its caller gets the error', async () => {
    const { load } = recorder();
    const settled = await Promise.allSettled([load('a'), load('bad-b'), load('c')]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toEqual(new Error('no bad-b'));
  });

  test('when the whole load fails, then every caller of that batch gets the error and the next batch works', async () => {
    let fail = true;
    const load = coalesce<string, string>(async (keys) => {
      if (fail) throw new Error('database down');
      return keys.map((k) => k);
    });
    const settled = await Promise.allSettled([load('a'), load('b')]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await load('a')).toBe('a');
  });
});
