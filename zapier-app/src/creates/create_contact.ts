// Creates a contact. A duplicate email is not an error for a Zap: the API's 409 names the
// existing contact (`existing_id`), which is returned with `already_existed: true`.
import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiGet, apiSend, type Json } from '../lib/api';
import { contactOutputFields, ownerInput, visibilityInput, workspaceInput } from '../lib/fields';
import { problemToError } from '../middleware';
import sample from '../samples/create_contact.json';

type Input = {
  workspace_id?: string;
  name: string;
  email?: string;
  phone?: string;
  company?: string;
  tags?: string[];
  custom_fields?: Record<string, string>;
  owner_id?: string;
  visibility?: string;
};

const perform = async (z: ZObject, bundle: Bundle<Input>) => {
  const { workspace_id, name, email, phone, company, tags, custom_fields, owner_id, visibility } =
    bundle.inputData;
  const body: Json = { name, email, phone, company, tags, custom_fields, workspace_id, owner_id, visibility };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];

  const response = await apiSend<Json>(z, 'POST', '/contacts', body, {
    skipThrowForStatus: true,
    middlewareData: { expectedStatuses: [409] },
  });
  if (response.status < 400) return { ...response.data, already_existed: false };
  const existingId = (response.data as { existing_id?: string } | undefined)?.existing_id;
  if (!existingId) throw problemToError(z, response);
  const existing = await apiGet<Json>(z, `/contacts/${encodeURIComponent(existingId)}`);
  return { ...existing, already_existed: true };
};

export default defineCreate({
  key: 'create_contact',
  noun: 'Contact',
  display: {
    label: 'Create Contact',
    description:
      'Creates a new contact, or returns the existing one when a contact with the email already exists.',
  },
  operation: {
    inputFields: [
      workspaceInput,
      { key: 'name', label: 'Name', required: true, helpText: "The contact's full name." },
      {
        key: 'email',
        label: 'Email',
        required: false,
        helpText:
          'Unique within a workspace. If a contact already has this email, that contact is returned (with "Already Existed" set to true) and nothing is changed.',
      },
      { key: 'phone', label: 'Phone', required: false, helpText: 'Any format, e.g. +44 20 7946 0000.' },
      { key: 'company', label: 'Company', required: false, helpText: 'The company the contact works for.' },
      { key: 'tags', label: 'Tags', required: false, list: true, helpText: 'One tag per line, up to 50.' },
      {
        key: 'custom_fields',
        label: 'Custom Fields',
        required: false,
        dict: true,
        helpText: 'Keys are lower-case snake_case (e.g. `plan`, `seats`), up to 50.',
      },
      ownerInput,
      visibilityInput,
    ],
    perform,
    sample,
    outputFields: [
      ...contactOutputFields,
      { key: 'already_existed', label: 'Already Existed', type: 'boolean' },
    ],
  },
});
