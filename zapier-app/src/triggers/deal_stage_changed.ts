// Instant: deal.stage_changed, optionally only for one pipeline and/or moves *to* one stage
// (both filtered on the server). One item per move: id `${deal id}-${changed_at}`.
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiList, subscribeHook, unsubscribeHook, type Json } from '../lib/api';
import { pipelineField, stageChangeOutputFields, stageField } from '../lib/fields';
import { recordOf, stageChangeItem, type Pipeline, type RecordWire, type StageChange } from '../lib/shapes';
import sample from '../samples/deal_stage_changed.json';

type Input = { pipeline_id?: string; stage_id?: string };

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** A delivery carries the deal as it is now, plus from/to stage, pipeline and changed_at on top. */
function changeOf(payload: unknown): StageChange {
  const body = (payload ?? {}) as Json;
  const deal = recordOf(payload);
  return {
    deal,
    pipeline_id: str(body.pipeline_id) ?? String(deal.pipeline_id),
    from_stage_id: str(body.from_stage_id),
    to_stage_id: str(body.to_stage_id) ?? String(deal.stage_id),
    changed_at: str(body.changed_at) ?? str(body.occurred_at) ?? deal.updated_at,
  };
}

const performSubscribe = (z: ZObject, bundle: Bundle<Input>) =>
  subscribeHook(z, bundle, 'deal.stage_changed', {
    pipeline_id: bundle.inputData.pipeline_id,
    stage_id: bundle.inputData.stage_id,
  });
const performUnsubscribe = (z: ZObject, bundle: Bundle) => unsubscribeHook(z, bundle);

const perform = async (z: ZObject, bundle: Bundle) => {
  const pipelines = await apiList<Pipeline>(z, '/pipelines', {}, 100);
  return [stageChangeItem(changeOf(bundle.cleanedRequest), pipelines)];
};

/** The list endpoint knows where each deal is now, not where it was: `from_stage_*` may be null. */
const performList = async (z: ZObject, bundle: Bundle<Input>) => {
  const { pipeline_id, stage_id } = bundle.inputData;
  const [deals, pipelines] = await Promise.all([
    apiList<RecordWire>(z, '/deals', { pipeline_id, stage_id }, 10),
    apiList<Pipeline>(z, '/pipelines', {}, 100),
  ]);
  return deals.map((deal) =>
    stageChangeItem(
      {
        deal,
        pipeline_id: String(deal.pipeline_id),
        from_stage_id: null,
        to_stage_id: String(deal.stage_id),
        changed_at: deal.updated_at,
      },
      pipelines,
    ),
  );
};

export default defineTrigger({
  key: 'deal_stage_changed',
  noun: 'Deal',
  display: {
    label: 'Deal Stage Changed',
    description: 'Triggers when a deal moves to another stage of its pipeline.',
  },
  operation: {
    type: 'hook',
    inputFields: [
      {
        ...pipelineField,
        required: false,
        helpText: 'Only trigger on deals in this pipeline. Leave empty for every pipeline.',
      },
      {
        ...{
          ...stageField,
          required: false,
          helpText: 'Only trigger when a deal moves **to** this stage. Leave empty for any stage.',
        },
        label: 'To Stage',
      },
    ],
    performSubscribe,
    performUnsubscribe,
    perform,
    performList,
    sample,
    outputFields: stageChangeOutputFields,
  },
});
