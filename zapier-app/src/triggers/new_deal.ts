// Instant: deal.created, optionally only for one pipeline (filtered on the server).
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiList, subscribeHook, unsubscribeHook } from '../lib/api';
import { dealOutputFields, pipelineField } from '../lib/fields';
import { recordOf, type RecordWire } from '../lib/shapes';
import sample from '../samples/deal.json';

type Input = { pipeline_id?: string };

const performSubscribe = (z: ZObject, bundle: Bundle<Input>) =>
  subscribeHook(z, bundle, 'deal.created', { pipeline_id: bundle.inputData.pipeline_id });
const performUnsubscribe = (z: ZObject, bundle: Bundle) => unsubscribeHook(z, bundle);
const perform = async (_z: ZObject, bundle: Bundle) => [recordOf(bundle.cleanedRequest)];
const performList = (z: ZObject, bundle: Bundle<Input>) =>
  apiList<RecordWire>(z, '/deals', { pipeline_id: bundle.inputData.pipeline_id }, 10);

export default defineTrigger({
  key: 'new_deal',
  noun: 'Deal',
  display: {
    label: 'New Deal',
    description: 'Triggers when a new deal is created.',
  },
  operation: {
    type: 'hook',
    inputFields: [
      {
        ...pipelineField,
        required: false,
        helpText: 'Only trigger on deals created in this pipeline. Leave empty for every pipeline.',
      },
    ],
    performSubscribe,
    performUnsubscribe,
    perform,
    performList,
    sample,
    outputFields: dealOutputFields,
  },
});
