// Deals for both APIs (`/api/v1/deals` and `/app/deals`): parse, call the service, respond.
import { Router } from 'express';
import type { AppContext } from '../context';
import { idempotency } from '../idempotency/idempotency.middleware';
import { parseId } from '../openapi/common.schemas';
import { parse } from '../shared/validation';
import { dealCreateSchema, dealListQuerySchema, dealUpdateSchema } from './deal.schemas';
import { createDeal, deleteDeal, getDeal, listDeals, updateDeal } from './deals.service';

export function dealsRoutes(ctx: AppContext): Router {
  const once = idempotency(ctx);
  return Router()
    .get('/', async (req, res) => {
      res.json(await listDeals(req.actor!, parse(dealListQuerySchema, req.query, 'query')));
    })
    .post('/', once, async (req, res) => {
      res.status(201).json(await createDeal(req.actor!, parse(dealCreateSchema, req.body), ctx.now()));
    })
    .get('/:id', async (req, res) => {
      res.json(await getDeal(req.actor!, parseId(req.params, 'Deal')));
    })
    .patch('/:id', once, async (req, res) => {
      const id = parseId(req.params, 'Deal');
      res.json(await updateDeal(req.actor!, id, parse(dealUpdateSchema, req.body), ctx.now()));
    })
    .delete('/:id', once, async (req, res) => {
      await deleteDeal(req.actor!, parseId(req.params, 'Deal'));
      res.status(204).end();
    });
}
