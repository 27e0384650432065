// Field definitions shared by several operations: labelled output fields per record type, and
// the input fields that pick a workspace, owner, contact, pipeline or stage from a dropdown.
import type { PlainInputField, PlainOutputField } from 'zapier-platform-core';

const recordFields = (noun: string): PlainOutputField[] => [
  { key: 'id', label: `${noun} ID`, type: 'string' },
  { key: 'workspace_id', label: 'Workspace ID', type: 'string' },
  { key: 'owner_id', label: 'Owner ID', type: 'string' },
  { key: 'visibility', label: 'Visibility', type: 'string' },
  { key: 'created_at', label: 'Created At', type: 'datetime' },
  { key: 'updated_at', label: 'Updated At', type: 'datetime' },
];

export const contactOutputFields: PlainOutputField[] = [
  ...recordFields('Contact'),
  { key: 'name', label: 'Name', type: 'string' },
  { key: 'email', label: 'Email', type: 'string' },
  { key: 'phone', label: 'Phone', type: 'string' },
  { key: 'company', label: 'Company', type: 'string' },
  { key: 'tags', label: 'Tags', type: 'string', list: true },
  { key: 'custom_fields', label: 'Custom Fields', dict: true },
];

export const updatedContactOutputFields: PlainOutputField[] = [
  { key: 'id', label: 'Change ID', type: 'string' },
  { key: 'contact_id', label: 'Contact ID', type: 'string' },
  ...contactOutputFields.filter((f) => f.key !== 'id'),
];

export const dealOutputFields: PlainOutputField[] = [
  ...recordFields('Deal'),
  { key: 'title', label: 'Title', type: 'string' },
  { key: 'value', label: 'Value', type: 'number' },
  { key: 'currency', label: 'Currency', type: 'string' },
  { key: 'pipeline_id', label: 'Pipeline ID', type: 'string' },
  { key: 'stage_id', label: 'Stage ID', type: 'string' },
  { key: 'contact_id', label: 'Contact ID', type: 'string' },
  { key: 'status', label: 'Status', type: 'string' },
];

export const stageChangeOutputFields: PlainOutputField[] = [
  { key: 'id', label: 'Change ID', type: 'string' },
  { key: 'deal_id', label: 'Deal ID', type: 'string' },
  { key: 'title', label: 'Deal Title', type: 'string' },
  { key: 'value', label: 'Deal Value', type: 'number' },
  { key: 'currency', label: 'Currency', type: 'string' },
  { key: 'status', label: 'Deal Status', type: 'string' },
  { key: 'contact_id', label: 'Contact ID', type: 'string' },
  { key: 'owner_id', label: 'Owner ID', type: 'string' },
  { key: 'workspace_id', label: 'Workspace ID', type: 'string' },
  { key: 'pipeline_id', label: 'Pipeline ID', type: 'string' },
  { key: 'pipeline_name', label: 'Pipeline', type: 'string' },
  { key: 'from_stage_id', label: 'From Stage ID', type: 'string' },
  { key: 'from_stage_name', label: 'From Stage', type: 'string' },
  { key: 'to_stage_id', label: 'To Stage ID', type: 'string' },
  { key: 'to_stage_name', label: 'To Stage', type: 'string' },
  { key: 'changed_at', label: 'Changed At', type: 'datetime' },
];

export const messageOutputFields: PlainOutputField[] = [
  ...recordFields('Message'),
  { key: 'contact_id', label: 'Contact ID', type: 'string' },
  { key: 'direction', label: 'Direction', type: 'string' },
  { key: 'channel', label: 'Channel', type: 'string' },
  { key: 'subject', label: 'Subject', type: 'string' },
  { key: 'body', label: 'Body', type: 'string' },
  { key: 'sent_at', label: 'Sent At', type: 'datetime' },
];

// --- input fields -------------------------------------------------------------------------------

export const workspaceInput = {
  key: 'workspace_id',
  label: 'Workspace',
  required: false,
  dynamic: 'workspace_list.id.name',
  helpText: 'Only needed when your API key reaches more than one workspace.',
} as const satisfies PlainInputField;

export const ownerInput = {
  key: 'owner_id',
  label: 'Owner',
  required: false,
  dynamic: 'owner_list.id.name',
  helpText:
    'Defaults to the user who created the API key. Workspace owners and admins may choose another member of the workspace.',
} as const satisfies PlainInputField;

export const visibilityInput = {
  key: 'visibility',
  label: 'Visibility',
  required: false,
  choices: { workspace: 'Everyone in the workspace', private: 'Only the owner (and workspace admins)' },
  helpText: 'Who in the workspace can see it. Defaults to everyone in the workspace.',
} as const satisfies PlainInputField;

// Dropdown fields: spread one into an operation and add `required` and `helpText` there, e.g.
// `{ ...contactField, required: true, helpText: '…' }` (inline literals keep inputData typed).
export const contactField = {
  key: 'contact_id',
  label: 'Contact',
  dynamic: 'contact_list.id.name',
  search: 'find_contact.id',
} as const satisfies PlainInputField;

export const pipelineField = {
  key: 'pipeline_id',
  label: 'Pipeline',
  dynamic: 'pipeline_list.id.name',
  altersDynamicFields: true,
} as const satisfies PlainInputField;

export const stageField = {
  key: 'stage_id',
  label: 'Stage',
  dynamic: 'stage_list.id.name',
  dependsOn: ['pipeline_id'] as string[],
} as const satisfies PlainInputField;

export const dealField = {
  key: 'deal_id',
  label: 'Deal',
  dynamic: 'deal_list.id.title',
  search: 'find_deal.id',
} as const satisfies PlainInputField;

export const dealStatusChoices = { open: 'Open', won: 'Won', lost: 'Lost' };

/** Zapier may hand a number field over as text; the API wants a JSON number. */
export function toNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).replace(/[\s,]/g, ''));
  return Number.isFinite(n) ? n : Number.NaN;
}

/** Drops undefined and empty-string members so optional fields never reach the strict API. */
export function compact(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== ''));
}
