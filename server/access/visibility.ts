// The one visibility rule (spec §1), used by every record query of both APIs:
// in each reachable workspace, workspace-visible records and the caller's own private ones;
// a workspace owner/admin sees every record there.
import mongoose from 'mongoose';
import { AppError } from '../shared/errors';
import { isWorkspaceAdmin, permits, type Actor, type Permission, type WorkspaceReach } from './actor';

export interface OwnedRecord {
  workspace_id: unknown;
  owner_id: unknown;
  visibility: 'private' | 'workspace';
}

const idOf = (v: unknown): string => String(v);

/** A mongoose filter matching exactly the records the actor can see (optionally in one workspace). */
export function visibleFilter(actor: Actor, workspaceId?: string): Record<string, unknown> {
  const reach = workspaceId ? actor.workspaces.filter((w) => w.id === workspaceId) : actor.workspaces;
  const all = reach.map((w) => w.id);
  const adminOf = reach.filter((w) => isWorkspaceAdmin(w.role)).map((w) => w.id);
  return {
    workspace_id: mongoose.trusted({ $in: all }),
    $or: [
      { workspace_id: mongoose.trusted({ $in: adminOf }) },
      { visibility: 'workspace' },
      { owner_id: actor.userId },
    ],
  };
}

export function reachOf(actor: Actor, workspaceId: string): WorkspaceReach | undefined {
  return actor.workspaces.find((w) => w.id === idOf(workspaceId));
}

export function canSee(actor: Actor, record: OwnedRecord): boolean {
  const reach = reachOf(actor, idOf(record.workspace_id));
  if (!reach) return false;
  return (
    isWorkspaceAdmin(reach.role) ||
    record.visibility === 'workspace' ||
    idOf(record.owner_id) === actor.userId
  );
}

/** Deleting: the record's owner, or a workspace owner/admin (and, for a key, the admin permission). */
export function canDelete(actor: Actor, record: OwnedRecord): boolean {
  const reach = reachOf(actor, idOf(record.workspace_id));
  if (!reach || !canSee(actor, record)) return false;
  return idOf(record.owner_id) === actor.userId || isWorkspaceAdmin(reach.role);
}

export function requirePermission(actor: Actor, needs: Permission): void {
  if (!permits(actor.permission, needs)) {
    throw new AppError(
      'insufficient_permission',
      `This API key has the '${actor.permission}' permission; this request needs '${needs}'`,
      { extra: { key_permission: actor.permission, required_permission: needs } },
    );
  }
}

/**
 * The workspace a create goes to: the one named (if the actor reaches it), else the only one
 * the actor reaches. Naming an unreachable workspace is indistinguishable from naming a missing one.
 */
export function resolveWorkspace(actor: Actor, requested?: string): WorkspaceReach {
  if (requested) {
    const reach = reachOf(actor, requested);
    if (!reach) throw new AppError('not_found', 'Workspace not found');
    return reach;
  }
  const [only, ...others] = actor.workspaces;
  if (!only) throw new AppError('not_found', 'No workspace is reachable');
  if (others.length > 0)
    throw new AppError('invalid_request', 'workspace_id is required when several workspaces are reachable', {
      errors: [{ field: 'workspace_id', message: 'Required: this caller reaches several workspaces' }],
    });
  return only;
}
