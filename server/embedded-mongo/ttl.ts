import type { Store } from './store';
import { pathValues } from './values';

/** Deletes documents whose TTL-indexed date (the earliest, for arrays of dates) + expireAfterSeconds has passed. */
export function sweepTtl(store: Store, now: number): number {
  let removed = 0;
  for (const colls of store.dbs.values()) {
    for (const coll of colls.values()) {
      for (const index of coll.indexes) {
        const seconds = index.spec.expireAfterSeconds;
        if (seconds === undefined) continue;
        const field = index.fields[0] as string;
        for (const doc of [...coll.docs.values()]) {
          const dates = pathValues(doc, field)
            .flatMap((v) => (Array.isArray(v) ? v : [v]))
            .filter((v): v is Date => v instanceof Date);
          if (dates.length === 0) continue;
          const earliest = Math.min(...dates.map((d) => d.getTime()));
          if (earliest + seconds * 1000 <= now && (!index.partial || index.partial(doc))) {
            coll.remove(doc);
            removed++;
          }
        }
      }
    }
  }
  return removed;
}
