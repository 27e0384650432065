// Hidden trigger behind the Contact dropdown (newest first, one page at a time); fields using it
// also offer the Find Contact search, so a Zap can look a contact up by email instead.
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiPage } from '../lib/api';
import type { RecordWire } from '../lib/shapes';

const perform = async (z: ZObject, bundle: Bundle) => {
  const contacts = await apiPage<RecordWire>(z, '/contacts', bundle.meta.page ?? 0);
  // The dropdown shows `name`: add the email, which is what tells two namesakes apart.
  return contacts.map((c) => ({ ...c, name: c.email ? `${String(c.name)} (${String(c.email)})` : c.name }));
};

export default defineTrigger({
  key: 'contact_list',
  noun: 'Contact',
  display: {
    label: 'List of Contacts',
    description: 'Powers the Contact dropdown.',
    hidden: true,
  },
  operation: { type: 'polling', perform, canPaginate: true },
});
