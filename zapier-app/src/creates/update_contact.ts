// Updates a contact. Zapier sends empty strings for fields left blank or mapped from an empty
// value, and an empty value here means "leave as is" (so a Zap never wipes data by accident);
// clearing is explicit: pick the fields in "Fields to Clear". `cleanInputData: false` lets this
// code see exactly what the user chose. See docs/decisions/052-update-contact-clearing.md.
import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiGet, apiSend, type Json } from '../lib/api';
import { contactField, contactOutputFields, ownerInput, visibilityInput } from '../lib/fields';
import sample from '../samples/update_contact.json';

const CLEARABLE = {
  email: 'Email',
  phone: 'Phone',
  company: 'Company',
  tags: 'Tags',
  custom_fields: 'Custom Fields',
};
type Clearable = keyof typeof CLEARABLE;

type Input = {
  contact_id: string;
  name?: string;
  email?: string;
  phone?: string;
  company?: string;
  tags?: string[] | string;
  custom_fields?: Record<string, string>;
  owner_id?: string;
  visibility?: string;
  fields_to_clear?: string[] | string;
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [])
    .map((s) => String(s).trim())
    .filter(Boolean);

/** The PATCH body: only what the user filled in, plus `null` for every field they chose to clear. */
export function patchOf(input: Input, existingCustomFields: Json): Json {
  const clear = new Set(list(input.fields_to_clear).filter((f): f is Clearable => f in CLEARABLE));
  const body: Json = {};
  for (const key of ['name', 'email', 'phone', 'company', 'owner_id', 'visibility'] as const) {
    const value = text(input[key]);
    if (value !== undefined) body[key] = value;
  }
  for (const key of ['email', 'phone', 'company', 'tags'] as const) if (clear.has(key)) body[key] = null;
  const tags = list(input.tags);
  if (tags.length) body.tags = tags;

  // The API replaces custom_fields as a whole: merge into what the contact has, unless cleared.
  const given = Object.fromEntries(
    Object.entries(input.custom_fields ?? {}).filter(
      ([k, v]) => k.trim() && typeof v === 'string' && v.trim(),
    ),
  );
  if (clear.has('custom_fields')) body.custom_fields = Object.keys(given).length ? given : null;
  else if (Object.keys(given).length) body.custom_fields = { ...existingCustomFields, ...given };
  return body;
}

const perform = async (z: ZObject, bundle: Bundle<Input>) => {
  const id = encodeURIComponent(String(bundle.inputData.contact_id).trim());
  // Read first: a deleted contact halts here (404), and custom fields can be merged.
  const existing = await apiGet<Json>(z, `/contacts/${id}`);
  const body = patchOf(bundle.inputData, (existing.custom_fields ?? {}) as Json);
  return (await apiSend<Json>(z, 'PATCH', `/contacts/${id}`, body)).data;
};

export default defineCreate({
  key: 'update_contact',
  noun: 'Contact',
  display: {
    label: 'Update Contact',
    description: 'Updates an existing contact. Fields left empty keep their current value.',
  },
  operation: {
    cleanInputData: false,
    inputFields: [
      {
        ...contactField,
        required: true,
        helpText: 'The contact to update. Use a "Find Contact" step to look it up by email.',
      },
      { key: 'name', label: 'Name', required: false, helpText: 'Leave empty to keep the current name.' },
      { key: 'email', label: 'Email', required: false, helpText: 'Leave empty to keep the current email.' },
      { key: 'phone', label: 'Phone', required: false, helpText: 'Leave empty to keep the current phone.' },
      {
        key: 'company',
        label: 'Company',
        required: false,
        helpText: 'Leave empty to keep the current company.',
      },
      {
        key: 'tags',
        label: 'Tags',
        required: false,
        list: true,
        helpText: "Replaces the contact's tags. Leave empty to keep the current tags.",
      },
      {
        key: 'custom_fields',
        label: 'Custom Fields',
        required: false,
        dict: true,
        helpText: "Added to the contact's custom fields (same keys are overwritten, others are kept).",
      },
      ownerInput,
      visibilityInput,
      {
        key: 'fields_to_clear',
        label: 'Fields to Clear',
        required: false,
        list: true,
        choices: CLEARABLE,
        helpText:
          'An empty field above means "leave as is". To erase a value, pick it here. Clearing Custom Fields ' +
          'removes all of them (any Custom Fields given above are then the only ones kept).',
      },
    ],
    perform,
    sample,
    outputFields: contactOutputFields,
  },
});
