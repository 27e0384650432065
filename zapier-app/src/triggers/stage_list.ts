// Hidden trigger behind the Stage dropdown: the stages of the chosen pipeline in their order, or
// every pipeline's stages ("Sales › Won") when no pipeline is chosen yet.
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiGet, apiList } from '../lib/api';
import type { Pipeline } from '../lib/shapes';

const perform = async (z: ZObject, bundle: Bundle<{ pipeline_id?: string }>) => {
  const pipelineId = bundle.inputData.pipeline_id;
  const pipelines = pipelineId
    ? [await apiGet<Pipeline>(z, `/pipelines/${encodeURIComponent(pipelineId)}`)]
    : await apiList<Pipeline>(z, '/pipelines', {}, 100);
  return pipelines.flatMap((p) =>
    [...p.stages]
      .sort((a, b) => a.position - b.position)
      .map((s) => ({ id: s.id, name: pipelineId ? s.name : `${p.name} › ${s.name}`, pipeline_id: p.id })),
  );
};

export default defineTrigger({
  key: 'stage_list',
  noun: 'Stage',
  display: {
    label: 'List of Stages',
    description: 'Powers the Stage dropdown; depends on the chosen pipeline.',
    hidden: true,
  },
  operation: {
    type: 'polling',
    perform,
    inputFields: [
      { key: 'pipeline_id', label: 'Pipeline', required: false, dynamic: 'pipeline_list.id.name' },
    ],
  },
});
