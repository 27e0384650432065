// Instant: contact.updated. Every change is its own Zap run: the item id is
// `${contact id}-${updated_at}` and the contact's id stays available as `contact_id`.
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiList, subscribeHook, unsubscribeHook } from '../lib/api';
import { updatedContactOutputFields } from '../lib/fields';
import { recordOf, updatedContactItem, type RecordWire } from '../lib/shapes';
import sample from '../samples/updated_contact.json';

const performSubscribe = (z: ZObject, bundle: Bundle) => subscribeHook(z, bundle, 'contact.updated');
const performUnsubscribe = (z: ZObject, bundle: Bundle) => unsubscribeHook(z, bundle);
const perform = async (_z: ZObject, bundle: Bundle) => [updatedContactItem(recordOf(bundle.cleanedRequest))];

const performList = async (z: ZObject, _bundle: Bundle) => {
  const contacts = await apiList<RecordWire>(z, '/contacts', {}, 25);
  // The list is newest-created first; a sample of updates should be most-recently-updated first.
  return contacts
    .sort((a, b) => b.updated_at.localeCompare(a.updated_at))
    .slice(0, 10)
    .map(updatedContactItem);
};

export default defineTrigger({
  key: 'updated_contact',
  noun: 'Contact',
  display: {
    label: 'Updated Contact',
    description: 'Triggers when an existing contact is changed.',
  },
  operation: {
    type: 'hook',
    performSubscribe,
    performUnsubscribe,
    perform,
    performList,
    sample,
    outputFields: updatedContactOutputFields,
  },
});
