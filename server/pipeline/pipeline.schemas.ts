import { listQuerySchema } from '../shared/pagination';
import { z } from '../shared/zod';
import { pageOf, recordWireFields } from '../openapi/common.schemas';

export const stageSchema = z
  .object({
    id: z.string().openapi({ description: "The stage id (use as a deal's `stage_id`)." }),
    name: z.string().openapi({ example: 'Qualified' }),
    position: z.number().int().openapi({ description: 'Order within the pipeline, from 0.' }),
  })
  .openapi('Stage');

export const pipelineSchema = z
  .object({
    ...recordWireFields,
    name: z.string().openapi({ example: 'Sales' }),
    stages: z.array(stageSchema).openapi({ description: 'The stages, in order.' }),
  })
  .openapi('Pipeline');

export const pipelineListQuerySchema = listQuerySchema;
export const pipelinePageSchema = pageOf(pipelineSchema, 'PipelinePage');

export type PipelineWire = z.infer<typeof pipelineSchema>;
