// Request shapes of the session API (strict: unknown fields are a 422).
import { z } from '../shared/zod';

const email = z.string().trim().toLowerCase().max(254).pipe(z.email('must be an email address'));
const password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');
const name = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters');

export const signUpBody = z.object({ email, password, name }).strict();
// Sign-in checks no format: a wrong email is just wrong credentials (401), never a hint.
export const logInBody = z
  .object({ email: z.string().trim().toLowerCase().min(1).max(254), password: z.string().min(1).max(200) })
  .strict();

export const createWorkspaceBody = z.object({ name }).strict();
export const updateWorkspaceBody = z
  .object({ name: name.optional(), api_access_enabled: z.boolean().optional() })
  .strict()
  .refine(
    (b) => b.name !== undefined || b.api_access_enabled !== undefined,
    'name or api_access_enabled is required',
  );

export const memberRole = z.enum(['admin', 'member']);
export const addMemberBody = z.object({ email, role: memberRole }).strict();
export const changeRoleBody = z.object({ role: memberRole }).strict();
