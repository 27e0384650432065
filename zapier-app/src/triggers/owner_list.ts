// Hidden trigger behind the Owner dropdown: the members of the workspaces the key reaches (only
// the chosen workspace's once the action has one), from GET /api/v1/members, one page at a time.
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiPage } from '../lib/api';

interface Member {
  id: string;
  name: string;
  email: string;
  role: string;
  workspace_id: string;
}

const perform = async (z: ZObject, bundle: Bundle<{ workspace_id?: string }>) => {
  const members = await apiPage<Member>(z, '/members', bundle.meta?.page ?? 0, 50, {
    workspace_id: bundle.inputData.workspace_id,
  });
  // The API lists a user once per workspace; the dropdown offers each person once (per page).
  const seen = new Set<string>();
  return members
    .filter((m) => !seen.has(m.id) && seen.add(m.id))
    .map((m) => ({ id: m.id, name: `${m.name} (${m.email})`, email: m.email }));
};

export default defineTrigger({
  key: 'owner_list',
  noun: 'Owner',
  display: {
    label: 'List of Owners',
    description: 'Powers the Owner dropdown: the members of the workspaces your API key reaches.',
    hidden: true,
  },
  operation: {
    type: 'polling',
    perform,
    canPaginate: true,
    inputFields: [
      { key: 'workspace_id', label: 'Workspace', required: false, dynamic: 'workspace_list.id.name' },
    ],
  },
});
