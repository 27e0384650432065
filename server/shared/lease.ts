// Short named leases in MongoDB for the few check-then-write steps that must not interleave across
// requests and server processes (the 25-key and per-key subscription limits) on a database without
// transactions. Taking one is one upsert: it succeeds when the lease is free or expired, and fails
// on the unique _id while someone else holds it. A holder that dies frees it after LEASE_MS.
import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { AppError, isDuplicateKey } from './errors';

const leaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { strict: true, versionKey: false },
);
leaseSchema.index({ until: 1 }, { expireAfterSeconds: 60 });
export const LeaseModel = mongoose.model('Lease', leaseSchema, 'leases');

const LEASE_MS = 10_000;
const WAIT_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` while holding the lease `name` (waiting up to 5 s for it); always releases it. */
export async function withLease<T>(name: string, work: () => Promise<T>): Promise<T> {
  const holder = randomUUID();
  const deadline = Date.now() + WAIT_MS;
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    const now = Date.now();
    try {
      await LeaseModel.updateOne(
        { _id: name, until: mongoose.trusted({ $lte: new Date(now) }) },
        { $set: { holder, until: new Date(now + LEASE_MS) } },
        { upsert: true },
      ).exec();
      break;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (Date.now() + pause > deadline)
        throw new AppError(
          'service_unavailable',
          'Another change of the same kind is in progress; retry shortly',
          {
            headers: { 'Retry-After': '1' },
          },
        );
      await sleep(pause);
    }
  }
  try {
    return await work();
  } finally {
    await LeaseModel.deleteOne({ _id: name, holder })
      .exec()
      .catch(() => undefined); // an unreleased lease expires by itself
  }
}
