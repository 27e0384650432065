// Hidden trigger behind the Owner dropdown. /api/v1 has no member directory (a key sees records,
// not people), so the one owner it can name is the user the key acts as; admins may still type
// another member's user id into the field.
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { getMe } from '../lib/api';

const perform = async (z: ZObject, _bundle: Bundle) => {
  const { user } = await getMe(z);
  return [{ id: user.id, name: `${user.name} (${user.email})`, email: user.email }];
};

export default defineTrigger({
  key: 'owner_list',
  noun: 'Owner',
  display: {
    label: 'List of Owners',
    description: 'Powers the Owner dropdown: the user your API key acts as.',
    hidden: true,
  },
  operation: { type: 'polling', perform },
});
