// Hidden trigger behind the Workspace dropdown: the workspaces this key can write to.
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { getMe } from '../lib/api';

const perform = async (z: ZObject, _bundle: Bundle) => {
  const me = await getMe(z);
  return me.workspaces
    .filter((w) => w.api_access_enabled)
    .map((w) => ({ id: w.id, name: w.name, role: w.role }));
};

export default defineTrigger({
  key: 'workspace_list',
  noun: 'Workspace',
  display: {
    label: 'List of Workspaces',
    description: 'Powers the Workspace dropdown: workspaces your API key can reach with API access on.',
    hidden: true,
  },
  operation: { type: 'polling', perform },
});
