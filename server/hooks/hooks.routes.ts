// /api/v1/hooks (an API key manages its own subscriptions) and /app/hooks (the signed-in user's
// view of their keys' subscriptions and recent deliveries, for the Settings page).
import { Router, type Request } from 'express';
import type { Actor } from '../access/actor';
import type { AppContext } from '../context';
import { AppError, notFound } from '../shared/errors';
import { objectId, parse } from '../shared/validation';
import { deliveriesQuery, subscribeBody } from './hooks.schemas';
import {
  listKeySubscriptions,
  listUserSubscriptions,
  recentDeliveries,
  subscribe,
  unsubscribe,
} from './hooks.service';

/** A malformed id names no subscription: 404 like any other unknown one (Zapier treats it as gone). */
function hookId(req: Request): string {
  const parsed = objectId.safeParse(req.params.id);
  if (!parsed.success) throw notFound('Hook subscription');
  return parsed.data;
}

function actorOf(req: Request): Actor {
  if (!req.actor) throw new AppError('internal_error', 'No actor on an authenticated route');
  return req.actor;
}

export function hooksRoutes(ctx: AppContext): Router {
  return Router()
    .post('/', async (req, res) => {
      const { created, subscription } = await subscribe(ctx, actorOf(req), parse(subscribeBody, req.body));
      res.status(created ? 201 : 200).json(subscription);
    })
    .get('/', async (req, res) => {
      res.json({ data: await listKeySubscriptions(actorOf(req)), next_cursor: null });
    })
    .delete('/:id', async (req, res) => {
      await unsubscribe(actorOf(req), hookId(req));
      res.status(204).end();
    });
}

export function hookDeliveriesRoutes(_ctx: AppContext): Router {
  return Router()
    .get('/', async (req, res) => {
      res.json({ data: await listUserSubscriptions(actorOf(req).userId) });
    })
    .get('/:id/deliveries', async (req, res) => {
      const { limit } = parse(deliveriesQuery, req.query, 'query');
      res.json({ data: await recentDeliveries(actorOf(req).userId, hookId(req), limit) });
    });
}
