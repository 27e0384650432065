// The member directory of both APIs: who is in the workspaces the actor reaches, so a client (the
// Zapier Owner dropdown) can offer them as record owners. Memberships are paged with the shared
// cursor; deactivated users are skipped while filling a page, so pages stay full and exact.
import mongoose from 'mongoose';
import type { Actor, Role } from '../access/actor';
import { reachOf } from '../access/visibility';
import { notFound } from '../shared/errors';
import { paginate, type Page } from '../shared/pagination';
import type { MemberListQuery, MemberWire } from './members.schemas';
import { UserModel } from './user.model';
import { MembershipModel, type Membership } from './workspace.model';

export async function listWorkspaceMembers(actor: Actor, query: MemberListQuery): Promise<Page<MemberWire>> {
  const requested = query.workspace_id?.toLowerCase();
  // Naming a workspace the actor cannot reach is indistinguishable from naming a missing one.
  if (requested && !reachOf(actor, requested)) throw notFound('Workspace');
  const workspaceIds = requested ? [requested] : actor.workspaces.map((w) => w.id);
  const filters = [{ workspace_id: mongoose.trusted({ $in: workspaceIds }) }];
  const data: MemberWire[] = [];
  let cursor = query.cursor;
  do {
    const page = await paginate(
      MembershipModel,
      filters,
      { limit: query.limit - data.length, cursor },
      (doc) => doc as unknown as Membership,
    );
    data.push(...(await activeMembers(page.data)));
    cursor = page.next_cursor ?? undefined;
  } while (cursor && data.length < query.limit);
  return { data, next_cursor: cursor ?? null };
}

/** The memberships whose user is still active, as wire members, in the memberships' order. */
async function activeMembers(memberships: Membership[]): Promise<MemberWire[]> {
  if (memberships.length === 0) return [];
  const users = await UserModel.find(
    { _id: mongoose.trusted({ $in: memberships.map((m) => m.user_id) }), deactivated_at: null },
    { name: 1, email: 1 },
  )
    .lean()
    .exec();
  const byId = new Map(users.map((u) => [String(u._id), u]));
  return memberships.flatMap((m) => {
    const user = byId.get(String(m.user_id));
    if (!user) return [];
    const member: MemberWire = {
      id: String(user._id),
      name: user.name,
      email: user.email,
      role: m.role as Role,
      workspace_id: String(m.workspace_id),
    };
    return [member];
  });
}
