// Finds deals by title and/or contact, pipeline, stage and status. The API filters by the ids
// and status; the title is matched here (case-insensitive, exact first, then "contains") over
// the most recent deals that pass those filters.
import { defineSearch, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiList, type Json } from '../lib/api';
import { contactField, dealOutputFields, dealStatusChoices, pipelineField, stageField } from '../lib/fields';
import sample from '../samples/deal.json';

type Input = {
  title?: string;
  contact_id?: string;
  pipeline_id?: string;
  stage_id?: string;
  status?: string;
};

const SCAN = 200;

const perform = async (z: ZObject, bundle: Bundle<Input>) => {
  const { title, contact_id, pipeline_id, stage_id, status } = bundle.inputData;
  if (![title, contact_id, pipeline_id, stage_id, status].some((v) => typeof v === 'string' && v.trim())) {
    throw new z.errors.HaltedError(
      'Find Deal needs at least one of Title, Contact, Pipeline, Stage or Status.',
    );
  }
  const deals = await apiList<Json>(
    z,
    '/deals',
    { contact_id, pipeline_id, stage_id, status },
    title ? SCAN : 10,
  );
  if (!title?.trim()) return deals;
  const wanted = title.trim().toLowerCase();
  const titleOf = (d: Json) => String(d.title ?? '').toLowerCase();
  return [
    ...deals.filter((d) => titleOf(d) === wanted),
    ...deals.filter((d) => titleOf(d) !== wanted && titleOf(d).includes(wanted)),
  ];
};

export default defineSearch({
  key: 'find_deal',
  noun: 'Deal',
  display: {
    label: 'Find Deal',
    description: 'Finds a deal by title, contact, pipeline, stage or status (the most recent match first).',
  },
  operation: {
    inputFields: [
      {
        key: 'title',
        label: 'Title',
        required: false,
        helpText: 'An exact title matches first, then titles containing it.',
      },
      { ...contactField, required: false, helpText: 'Only deals about this contact.' },
      { ...pipelineField, required: false, helpText: 'Only deals in this pipeline.' },
      { ...stageField, required: false, helpText: 'Only deals in this stage.' },
      {
        key: 'status',
        label: 'Status',
        required: false,
        choices: dealStatusChoices,
        helpText: 'Only open, won or lost deals.',
      },
    ],
    perform,
    sample,
    outputFields: dealOutputFields,
  },
});
