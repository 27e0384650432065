// Creates a deal in a pipeline stage (the workspace's first pipeline and its first stage when
// none is chosen), optionally about a contact.
import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiSend, type Json } from '../lib/api';
import {
  compact,
  contactField,
  dealOutputFields,
  dealStatusChoices,
  ownerInput,
  pipelineField,
  stageField,
  toNumber,
  visibilityInput,
  workspaceInput,
} from '../lib/fields';
import sample from '../samples/create_deal.json';

type Input = {
  workspace_id?: string;
  title: string;
  value?: number | string;
  currency?: string;
  pipeline_id?: string;
  stage_id?: string;
  contact_id?: string;
  status?: string;
  owner_id?: string;
  visibility?: string;
};

const perform = async (z: ZObject, bundle: Bundle<Input>) => {
  const input = bundle.inputData;
  const body = compact({
    ...input,
    value: toNumber(input.value),
    currency: input.currency?.trim().toUpperCase(),
  });
  if (Number.isNaN(body.value))
    throw new z.errors.HaltedError(
      `"${String(input.value)}" is not a number: Value must be an amount such as 4800 or 99.5.`,
    );
  return (await apiSend<Json>(z, 'POST', '/deals', body)).data;
};

export default defineCreate({
  key: 'create_deal',
  noun: 'Deal',
  display: {
    label: 'Create Deal',
    description: 'Creates a new deal in a pipeline stage.',
  },
  operation: {
    inputFields: [
      workspaceInput,
      { key: 'title', label: 'Title', required: true, helpText: 'What is being sold, e.g. "Annual plan".' },
      {
        key: 'value',
        label: 'Value',
        type: 'number',
        required: false,
        helpText: 'The amount, 0 or more. Defaults to 0.',
      },
      {
        key: 'currency',
        label: 'Currency',
        required: false,
        default: 'USD',
        helpText: 'A three-letter ISO-4217 code such as USD, EUR or GBP.',
      },
      { ...pipelineField, required: false, helpText: "Defaults to the workspace's first pipeline." },
      {
        ...stageField,
        required: false,
        helpText: 'A stage of the chosen pipeline. Defaults to its first stage.',
      },
      { ...contactField, required: false, helpText: 'The contact this deal is about.' },
      {
        key: 'status',
        label: 'Status',
        required: false,
        choices: dealStatusChoices,
        helpText: 'Defaults to Open.',
      },
      ownerInput,
      visibilityInput,
    ],
    perform,
    sample,
    outputFields: dealOutputFields,
  },
});
