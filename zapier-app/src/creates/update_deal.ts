// Updates a deal's title, value, currency, status or contact; fields left empty keep their value.
// Moving between stages has its own action (Move Deal to Stage) with dependent dropdowns.
import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiSend, type Json } from '../lib/api';
import {
  compact,
  contactField,
  dealField,
  dealOutputFields,
  dealStatusChoices,
  ownerInput,
  toNumber,
  visibilityInput,
} from '../lib/fields';
import sample from '../samples/update_deal.json';

type Input = {
  deal_id: string;
  title?: string;
  value?: number | string;
  currency?: string;
  contact_id?: string;
  status?: string;
  owner_id?: string;
  visibility?: string;
};

const perform = async (z: ZObject, bundle: Bundle<Input>) => {
  const { deal_id, ...input } = bundle.inputData;
  const body = compact({
    ...input,
    value: toNumber(input.value),
    currency: input.currency?.trim().toUpperCase(),
  });
  if (Number.isNaN(body.value))
    throw new z.errors.HaltedError(
      `"${String(input.value)}" is not a number: Value must be an amount such as 4800 or 99.5.`,
    );
  return (await apiSend<Json>(z, 'PATCH', `/deals/${encodeURIComponent(deal_id)}`, body)).data;
};

export default defineCreate({
  key: 'update_deal',
  noun: 'Deal',
  display: {
    label: 'Update Deal',
    description: 'Updates an existing deal. Fields left empty keep their current value.',
  },
  operation: {
    inputFields: [
      { ...dealField, required: true, helpText: 'The deal to update. Use a "Find Deal" step to look it up.' },
      { key: 'title', label: 'Title', required: false, helpText: 'Leave empty to keep the current title.' },
      {
        key: 'value',
        label: 'Value',
        type: 'number',
        required: false,
        helpText: 'The amount, 0 or more. Leave empty to keep it.',
      },
      {
        key: 'currency',
        label: 'Currency',
        required: false,
        helpText: 'A three-letter ISO-4217 code such as USD.',
      },
      {
        key: 'status',
        label: 'Status',
        required: false,
        choices: dealStatusChoices,
        helpText: 'Mark the deal won or lost (or open again). Leave empty to keep it.',
      },
      { ...contactField, required: false, helpText: 'Link the deal to this contact.' },
      ownerInput,
      visibilityInput,
    ],
    perform,
    sample,
    outputFields: dealOutputFields,
  },
});
