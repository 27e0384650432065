// Moves a deal to a stage: pick the pipeline, then one of its stages (the Stage dropdown depends
// on the Pipeline). A stage that is not in the chosen pipeline can never succeed, so it halts.
import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiGet, apiSend, type Json } from '../lib/api';
import { dealField, dealOutputFields, pipelineField, stageField } from '../lib/fields';
import type { Pipeline } from '../lib/shapes';
import sample from '../samples/move_deal_stage.json';

type Input = { deal_id: string; pipeline_id: string; stage_id: string };

const perform = async (z: ZObject, bundle: Bundle<Input>) => {
  const { deal_id, pipeline_id, stage_id } = bundle.inputData;
  const pipeline = await apiGet<Pipeline>(z, `/pipelines/${encodeURIComponent(pipeline_id)}`);
  if (!pipeline.stages.some((s) => s.id === stage_id)) {
    throw new z.errors.HaltedError(
      `The stage ${stage_id} is not a stage of the pipeline "${pipeline.name}" (its stages: ${pipeline.stages
        .map((s) => s.name)
        .join(', ')}). Choose the pipeline first, then one of its stages.`,
    );
  }
  const body = { pipeline_id, stage_id };
  return (await apiSend<Json>(z, 'PATCH', `/deals/${encodeURIComponent(deal_id)}`, body)).data;
};

export default defineCreate({
  key: 'move_deal_stage',
  noun: 'Deal',
  display: {
    label: 'Move Deal to Stage',
    description: 'Updates a deal by moving it to another stage (and pipeline, if you choose another one).',
  },
  operation: {
    inputFields: [
      { ...dealField, required: true, helpText: 'The deal to move.' },
      {
        ...pipelineField,
        required: true,
        helpText: "The pipeline of the stage. Choosing another pipeline than the deal's moves it there.",
      },
      {
        ...stageField,
        required: true,
        helpText: 'The stage to move the deal to; the list shows the stages of the chosen pipeline.',
      },
    ],
    perform,
    sample,
    outputFields: dealOutputFields,
  },
});
