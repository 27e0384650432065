// Hidden trigger behind the Pipeline dropdown.
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiList } from '../lib/api';
import type { Pipeline } from '../lib/shapes';

const perform = async (z: ZObject, _bundle: Bundle) => {
  const pipelines = await apiList<Pipeline>(z, '/pipelines', {}, 100);
  return pipelines.map((p) => ({ id: p.id, name: p.name, workspace_id: p.workspace_id }));
};

export default defineTrigger({
  key: 'pipeline_list',
  noun: 'Pipeline',
  display: {
    label: 'List of Pipelines',
    description: 'Powers the Pipeline dropdown.',
    hidden: true,
  },
  operation: { type: 'polling', perform },
});
