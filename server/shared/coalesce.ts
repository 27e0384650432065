// Coalesces concurrent database reads and writes of the same kind into one round trip
// (DataLoader without its cache). Everything asked for while the event loop works through the
// sockets that are ready is sent together once they are all handled (`setImmediate`), so a
// request's query is always issued after the request arrived: nothing is ever served from an
// earlier answer, and a revocation acknowledged before a request arrives is seen by it.
// A request alone is sent as soon as the event loop has handled the other ready sockets (its
// `setImmediate`), in the same single round trip it would have had anyway.
import DataLoader from 'dataloader';

/** Batches calls to `load(keys)` (keys in call order, repeats included; one result or Error per key). */
export function coalesce<K, V>(
  load: (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>,
  maxBatchSize = 200,
): (key: K) => Promise<V> {
  const loader = new DataLoader<K, V>(load, {
    cache: false,
    maxBatchSize,
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
  });
  return (key) => loader.load(key);
}
