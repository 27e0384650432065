// Messages for both APIs (`/api/v1/messages` and `/app/messages`): create, list, read.
import { Router } from 'express';
import type { AppContext } from '../context';
import { idempotency } from '../idempotency/idempotency.middleware';
import { parseId } from '../openapi/common.schemas';
import { parse } from '../shared/validation';
import { messageCreateSchema, messageListQuerySchema } from './message.schemas';
import { createMessage, getMessage, listMessages } from './messages.service';

export function messagesRoutes(ctx: AppContext): Router {
  return Router()
    .get('/', async (req, res) => {
      res.json(await listMessages(req.actor!, parse(messageListQuerySchema, req.query, 'query')));
    })
    .post('/', idempotency(ctx), async (req, res) => {
      res.status(201).json(await createMessage(req.actor!, parse(messageCreateSchema, req.body), ctx.now()));
    })
    .get('/:id', async (req, res) => {
      res.json(await getMessage(req.actor!, parseId(req.params, 'Message')));
    });
}
