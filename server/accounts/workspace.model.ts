// Workspaces and memberships. A membership carries the user's role there; the workspace carries
// the API-access switch. Both are joined on every authenticated request, so they are indexed on
// the join fields (`memberships.user_id`, `workspaces._id`).
import mongoose, { Schema, type InferSchemaType, type PipelineStage, type Types } from 'mongoose';
import { snakeTimestamps } from '../shared/mongoose-plugins';
import type { Role, WorkspaceReach } from '../access/actor';

export const roles = ['owner', 'admin', 'member'] as const;

const workspaceSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 100 },
    api_access_enabled: { type: Boolean, required: true, default: false },
    created_by: { type: Schema.Types.ObjectId, required: true },
  },
  { strict: true, ...snakeTimestamps },
);

const membershipSchema = new Schema(
  {
    workspace_id: { type: Schema.Types.ObjectId, required: true },
    user_id: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, enum: roles, required: true },
  },
  { strict: true, ...snakeTimestamps },
);
membershipSchema.index({ user_id: 1, workspace_id: 1 }, { unique: true });
membershipSchema.index({ workspace_id: 1, user_id: 1 });
// GET /api/v1/members pages a workspace's memberships newest first (shared cursor order).
membershipSchema.index({ workspace_id: 1, created_at: -1, _id: -1 });

export type Workspace = InferSchemaType<typeof workspaceSchema> & { _id: Types.ObjectId; created_at: Date };
export type Membership = InferSchemaType<typeof membershipSchema> & { _id: Types.ObjectId; created_at: Date };

export const WorkspaceModel = mongoose.model('Workspace', workspaceSchema, 'workspaces');
export const MembershipModel = mongoose.model('Membership', membershipSchema, 'memberships');

export interface WorkspaceView extends WorkspaceReach {
  created_at: string;
}

export const workspaceView = (w: Workspace, role: Role): WorkspaceView => ({
  id: String(w._id),
  name: w.name,
  role,
  api_access_enabled: w.api_access_enabled,
  created_at: new Date(w.created_at).toISOString(),
});

/**
 * Joins memberships with their workspaces (both fetched by one `$lookup` aggregate elsewhere),
 * oldest membership first, so a user's first workspace stays first.
 */
/**
 * Aggregation stages that join a user's memberships and their workspaces onto the current row,
 * as `memberships` and `workspaces` (both $lookups index-served); `userIdField` names the user id.
 */
export function membershipLookups(userIdField: string): PipelineStage[] {
  return [
    { $lookup: { from: 'memberships', localField: userIdField, foreignField: 'user_id', as: 'memberships' } },
    {
      $lookup: {
        from: 'workspaces',
        localField: 'memberships.workspace_id',
        foreignField: '_id',
        as: 'workspaces',
      },
    },
  ];
}

export function joinMemberships(memberships: Membership[], workspaces: Workspace[]): WorkspaceView[] {
  const byId = new Map(workspaces.map((w) => [String(w._id), w]));
  return [...memberships]
    .sort(
      (a, b) =>
        new Date(a.created_at).getTime() - new Date(b.created_at).getTime() ||
        String(a._id).localeCompare(String(b._id)),
    )
    .flatMap((m) => {
      const w = byId.get(String(m.workspace_id));
      return w ? [workspaceView(w, m.role as Role)] : [];
    });
}
