// Instant: a REST-hook subscription on contact.created; the test sample comes from the list.
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiList, subscribeHook, unsubscribeHook } from '../lib/api';
import { contactOutputFields } from '../lib/fields';
import { recordOf, type RecordWire } from '../lib/shapes';
import sample from '../samples/contact.json';

const performSubscribe = (z: ZObject, bundle: Bundle) => subscribeHook(z, bundle, 'contact.created');
const performUnsubscribe = (z: ZObject, bundle: Bundle) => unsubscribeHook(z, bundle);
const perform = async (_z: ZObject, bundle: Bundle) => [recordOf(bundle.cleanedRequest)];
const performList = (z: ZObject, _bundle: Bundle) => apiList<RecordWire>(z, '/contacts', {}, 10);

export default defineTrigger({
  key: 'new_contact',
  noun: 'Contact',
  display: {
    label: 'New Contact',
    description: 'Triggers when a new contact is created.',
  },
  operation: {
    type: 'hook',
    performSubscribe,
    performUnsubscribe,
    perform,
    performList,
    sample,
    outputFields: contactOutputFields,
  },
});
