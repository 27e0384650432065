// Who owns a record and who may see it, shared by contacts, deals and messages (spec §1):
// the owner is the caller unless a workspace owner/admin hands the record to another member;
// changing owner or visibility takes the same right as deleting (record owner or workspace admin).
import type { Actor, WorkspaceReach } from '../access/actor';
import { isWorkspaceAdmin } from '../access/actor';
import { canDelete, type OwnedRecord } from '../access/visibility';
import { AppError } from '../shared/errors';
import { isWorkspaceMember } from './membership';

export interface OwnershipInput {
  owner_id?: string | undefined;
  visibility?: 'private' | 'workspace' | undefined;
}

export interface Ownership {
  owner_id: string;
  visibility: 'private' | 'workspace';
}

async function checkNewOwner(actor: Actor, reach: WorkspaceReach, ownerId: string): Promise<void> {
  if (ownerId === actor.userId) return;
  if (!isWorkspaceAdmin(reach.role))
    throw new AppError('forbidden', 'Only a workspace owner or admin can give a record to another member', {
      errors: [{ field: 'owner_id', message: 'Must be your own user id' }],
    });
  if (!(await isWorkspaceMember(actor.userId, reach.id, ownerId)))
    throw new AppError('invalid_request', 'owner_id is not a member of this workspace', {
      errors: [{ field: 'owner_id', message: 'Not a member of this workspace' }],
    });
}

export async function newOwnership(
  actor: Actor,
  reach: WorkspaceReach,
  input: OwnershipInput,
): Promise<Ownership> {
  const owner = input.owner_id?.toLowerCase() ?? actor.userId;
  await checkNewOwner(actor, reach, owner);
  return { owner_id: owner, visibility: input.visibility ?? 'workspace' };
}

/** The ownership fields of a PATCH, checked; empty when the PATCH leaves them alone. */
export async function ownershipChange(
  actor: Actor,
  reach: WorkspaceReach,
  record: OwnedRecord,
  input: OwnershipInput,
): Promise<Partial<Ownership>> {
  const change: Partial<Ownership> = {};
  const owner = input.owner_id?.toLowerCase();
  if (owner !== undefined && owner !== String(record.owner_id)) change.owner_id = owner;
  if (input.visibility !== undefined && input.visibility !== record.visibility)
    change.visibility = input.visibility;
  if (Object.keys(change).length === 0) return change;
  if (!canDelete(actor, record))
    throw new AppError(
      'forbidden',
      "Only the record's owner or a workspace owner/admin can change its owner or visibility",
    );
  if (change.owner_id) await checkNewOwner(actor, reach, change.owner_id);
  return change;
}
