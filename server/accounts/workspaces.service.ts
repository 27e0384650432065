// Workspaces and their members. Owners/admins manage a workspace; its owner can be neither removed
// nor demoted. Changes here alter what the affected user's keys reach on their next request,
// because keys resolve their reach from memberships on every request.
import mongoose from 'mongoose';
import { isWorkspaceAdmin, type Role } from '../access/actor';
import { createDefaultPipeline } from '../pipeline/pipeline.service';
import { AppError, notFound } from '../shared/errors';
import { UserModel } from './user.model';
import {
  MembershipModel,
  WorkspaceModel,
  workspaceView,
  type Workspace,
  type WorkspaceView,
} from './workspace.model';

export interface MemberView {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: string;
}

const oid = (id: string) => new mongoose.Types.ObjectId(id);

export async function createWorkspace(ownerId: string, name: string, now: Date): Promise<WorkspaceView> {
  const workspace = await WorkspaceModel.create({ name, created_by: ownerId });
  await MembershipModel.create({ workspace_id: workspace._id, user_id: ownerId, role: 'owner' });
  await createDefaultPipeline(String(workspace._id), ownerId, now);
  return workspaceView(workspace.toObject() as Workspace, 'owner');
}

/** The caller's role in the workspace; 404 when they are not a member (never reveal it exists). */
async function roleIn(userId: string, workspaceId: string): Promise<Role> {
  const membership = await MembershipModel.findOne({ user_id: userId, workspace_id: workspaceId })
    .lean()
    .exec();
  if (!membership) throw notFound('Workspace');
  return membership.role as Role;
}

export async function requireWorkspaceAdmin(userId: string, workspaceId: string): Promise<Role> {
  const role = await roleIn(userId, workspaceId);
  if (!isWorkspaceAdmin(role))
    throw new AppError('forbidden', 'Only the workspace owner or an admin can do this');
  return role;
}

export async function updateWorkspace(
  userId: string,
  workspaceId: string,
  changes: { name?: string; api_access_enabled?: boolean },
): Promise<WorkspaceView> {
  const role = await requireWorkspaceAdmin(userId, workspaceId);
  const workspace = await WorkspaceModel.findOneAndUpdate(
    { _id: workspaceId },
    { $set: changes },
    { returnDocument: 'after' },
  )
    .lean()
    .exec();
  if (!workspace) throw notFound('Workspace');
  return workspaceView(workspace as Workspace, role);
}

export async function listMembers(userId: string, workspaceId: string): Promise<MemberView[]> {
  await roleIn(userId, workspaceId);
  const memberships = await MembershipModel.find({ workspace_id: workspaceId }).lean().exec();
  const users = await UserModel.find({ _id: mongoose.trusted({ $in: memberships.map((m) => m.user_id) }) })
    .lean()
    .exec();
  const byId = new Map(users.map((u) => [String(u._id), u]));
  return memberships.flatMap((m) => {
    const u = byId.get(String(m.user_id));
    return u ? [memberView(u, m.role as Role, m.created_at as Date)] : [];
  });
}

const memberView = (
  u: { _id: unknown; email: string; name: string },
  role: Role,
  since: Date,
): MemberView => ({
  user_id: String(u._id),
  email: u.email,
  name: u.name,
  role,
  created_at: new Date(since).toISOString(),
});

export async function addMember(
  userId: string,
  workspaceId: string,
  email: string,
  role: Role,
): Promise<MemberView> {
  await requireWorkspaceAdmin(userId, workspaceId);
  const user = await UserModel.findOne({ email }).lean().exec();
  if (!user || user.deactivated_at) throw notFound('User');
  const membership = await MembershipModel.create({
    workspace_id: oid(workspaceId),
    user_id: user._id,
    role,
  }).catch((err: unknown) => {
    if ((err as { code?: number })?.code === 11000)
      throw new AppError('conflict', 'This user is already a member');
    throw err;
  });
  return memberView(user, role, membership.created_at as Date);
}

/** The target membership, refusing to touch the owner's. */
async function targetMembership(workspaceId: string, memberId: string) {
  const target = await MembershipModel.findOne({ user_id: memberId, workspace_id: workspaceId })
    .lean()
    .exec();
  if (!target) throw notFound('Member');
  if (target.role === 'owner')
    throw new AppError('conflict', "The workspace owner's membership cannot be changed");
  return target;
}

export async function changeRole(
  userId: string,
  workspaceId: string,
  memberId: string,
  role: Role,
): Promise<MemberView> {
  await requireWorkspaceAdmin(userId, workspaceId);
  const target = await targetMembership(workspaceId, memberId);
  await MembershipModel.updateOne({ _id: target._id }, { $set: { role } }).exec();
  const user = await UserModel.findById(memberId).lean().exec();
  if (!user) throw notFound('Member');
  return memberView(user, role, target.created_at as Date);
}

/** Owners/admins remove members; any non-owner member may remove themselves (leave). */
export async function removeMember(userId: string, workspaceId: string, memberId: string): Promise<void> {
  if (userId !== memberId) await requireWorkspaceAdmin(userId, workspaceId);
  else await roleIn(userId, workspaceId);
  const target = await targetMembership(workspaceId, memberId);
  await MembershipModel.deleteOne({ _id: target._id }).exec();
}
