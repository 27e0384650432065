// Request shapes of the key-management API (session only: a key can never manage keys).
import { z } from '../shared/zod';
import { objectId } from '../shared/validation';

export const expiresIn = z.enum(['never', '30d', '90d', '6m', '1y']);
export const gracePeriod = z.enum(['0', '1h', '24h', '7d']);

export const createKeyBody = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
    permission: z.enum(['read', 'write', 'admin']),
    expires_in: expiresIn,
    scope: z.union([z.literal('all'), z.object({ workspace_id: objectId }).strict()]),
  })
  .strict();

export const rotateKeyBody = z.object({ grace_period: gracePeriod.default('0') }).strict();
export const keyParams = z.object({ id: objectId }).strict();
export const listKeysQuery = z.object({ include: z.literal('archived').optional() }).strict();

export type CreateKeyInput = z.infer<typeof createKeyBody>;

/** Absolute expiry: calendar months/years for 6m and 1y (what a user reading "6 months" expects). */
export function expiryFrom(now: Date, value: z.infer<typeof expiresIn>): Date | null {
  const d = new Date(now);
  if (value === 'never') return null;
  if (value === '30d') d.setUTCDate(d.getUTCDate() + 30);
  if (value === '90d') d.setUTCDate(d.getUTCDate() + 90);
  if (value === '6m') d.setUTCMonth(d.getUTCMonth() + 6);
  if (value === '1y') d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d;
}

export const graceMs: Record<z.infer<typeof gracePeriod>, number> = {
  '0': 0,
  '1h': 3600_000,
  '24h': 24 * 3600_000,
  '7d': 7 * 24 * 3600_000,
};
