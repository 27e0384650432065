// Finds a contact by email (unique per workspace). No match is an empty list, which Zapier shows
// as "nothing found" (and which lets Find or Create go on to create it).
import { defineSearch, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiGet, type Json, type Page } from '../lib/api';
import { contactOutputFields, workspaceInput } from '../lib/fields';
import sample from '../samples/contact.json';

type Input = { email: string; workspace_id?: string };

const perform = async (z: ZObject, bundle: Bundle<Input>) => {
  const email = String(bundle.inputData.email ?? '').trim();
  if (!email) return [];
  const page = await apiGet<Page<Json>>(z, '/contacts', {
    email,
    workspace_id: bundle.inputData.workspace_id,
    limit: 10,
  });
  return page.data;
};

export default defineSearch({
  key: 'find_contact',
  noun: 'Contact',
  display: {
    label: 'Find Contact',
    description: 'Finds a contact by email address.',
  },
  operation: {
    inputFields: [
      {
        key: 'email',
        label: 'Email',
        required: true,
        helpText: 'The email address to look up (not case-sensitive).',
      },
      workspaceInput,
    ],
    perform,
    sample,
    outputFields: contactOutputFields,
  },
});
