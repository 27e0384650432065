// Accounts: sign-up, sign-in, sign-out and "who am I". Sign-in errors never say whether the email
// exists, in their wording or their timing (a dummy verify runs for unknown emails).
import { hash, verify } from '@node-rs/argon2';
import mongoose from 'mongoose';
import { coalesce } from '../shared/coalesce';
import { AppError } from '../shared/errors';
import { UserModel, userView, type User, type UserView } from './user.model';
import {
  joinMemberships,
  membershipLookups,
  type Membership,
  type Workspace,
  type WorkspaceView,
} from './workspace.model';
import { createWorkspace } from './workspaces.service';

export interface Account {
  user: User;
  workspaces: WorkspaceView[];
}

export interface AccountView {
  user: UserView;
  workspaces: WorkspaceView[];
}

export const accountView = (a: Account): AccountView => ({
  user: userView(a.user),
  workspaces: a.workspaces,
});

type AccountRow = User & { memberships: Membership[]; workspaces: Workspace[] };

/** The user with every membership and its workspace, in ONE round trip (indexed $lookups), shared by the requests that arrive together. */
export async function loadAccount(userId: string): Promise<Account | undefined> {
  const row = await accountRow(userId);
  if (!row) return undefined;
  const { memberships, workspaces, ...user } = row;
  return { user: user as User, workspaces: joinMemberships(memberships, workspaces) };
}

const accountRow = coalesce<string, AccountRow | null>(async (userIds) => {
  // A malformed id finds nothing (it must not fail the other requests of the batch).
  const wanted = [...new Set(userIds)].filter((id) => mongoose.Types.ObjectId.isValid(id));
  const rows = await UserModel.aggregate<AccountRow>([
    { $match: { _id: { $in: wanted.map((id) => new mongoose.Types.ObjectId(id)) } } },
    { $limit: wanted.length },
    ...membershipLookups('_id'),
  ]).exec();
  const byId = new Map(rows.map((r) => [String(r._id), r]));
  return userIds.map((id) => byId.get(id) ?? null);
});

const isDuplicateKey = (err: unknown): boolean => (err as { code?: number })?.code === 11000;

export async function signUp(
  input: { email: string; password: string; name: string },
  now: Date,
): Promise<Account> {
  const password_hash = await hash(input.password);
  const user = await UserModel.create({ email: input.email, name: input.name, password_hash }).catch(
    (err: unknown) => {
      if (isDuplicateKey(err)) throw new AppError('conflict', 'An account with this email already exists');
      throw err;
    },
  );
  await createWorkspace(String(user._id), `${input.name}'s workspace`.slice(0, 100), now);
  return (await loadAccount(String(user._id)))!;
}

let dummyHash: Promise<string> | undefined;

/** Returns the account for valid credentials of an active user; otherwise `invalid_credentials`. */
export async function logIn(input: { email: string; password: string }): Promise<Account> {
  const user = await UserModel.findOne({ email: input.email }).lean().exec();
  dummyHash ??= hash('not a real password, only spends the same time');
  const ok = await verify(user?.password_hash ?? (await dummyHash), input.password).catch(() => false);
  if (!user || !ok || user.deactivated_at)
    throw new AppError('invalid_credentials', 'Email or password is incorrect');
  return (await loadAccount(String(user._id)))!;
}

/** Ends every session of the user issued so far (the JWTs carry the old session_version). */
export async function signOut(userId: string): Promise<void> {
  await UserModel.updateOne({ _id: userId }, { $inc: { session_version: 1 } }).exec();
}

/** Deactivation: sessions end and every key of the user stops authenticating on its next request. */
export async function deactivateUser(userId: string, now: Date): Promise<void> {
  await UserModel.updateOne(
    { _id: userId },
    { $set: { deactivated_at: now }, $inc: { session_version: 1 } },
  ).exec();
}
