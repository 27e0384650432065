// Membership lookups go through the accounts feature's service (it owns memberships). Only used
// when an owner/admin hands a record to someone else, so listing the members is cheap enough.
import { listMembers } from '../accounts/workspaces.service';

export async function isWorkspaceMember(
  actorId: string,
  workspaceId: string,
  userId: string,
): Promise<boolean> {
  const members = await listMembers(actorId, workspaceId);
  return members.some((m) => m.user_id === userId);
}
