import { Router } from 'express';
import type { AppContext } from '../context';
import { parseId } from '../openapi/common.schemas';
import { parse } from '../shared/validation';
import { pipelineListQuerySchema } from './pipeline.schemas';
import { getPipeline, listPipelines } from './pipeline.service';

export function pipelinesRoutes(_ctx: AppContext): Router {
  return Router()
    .get('/', async (req, res) => {
      res.json(await listPipelines(req.actor!, parse(pipelineListQuerySchema, req.query, 'query')));
    })
    .get('/:id', async (req, res) => {
      res.json(await getPipeline(req.actor!, parseId(req.params, 'Pipeline')));
    });
}
