// `/app/api-keys`: the signed-in user's keys (session only; a key can never manage keys).
import { Router, type Request } from 'express';
import type { AppContext } from '../context';
import { parse } from '../shared/validation';
import { listKeyEvents, type AuditActor } from './key-audit';
import { archiveKey, revokeKey, rotateKey } from './key-lifecycle.service';
import { createKeyBody, keyParams, listKeysQuery, rotateKeyBody } from './keys.schemas';
import { createKey, findOwnKey, listKeys } from './keys.service';

const auditActor = (req: Request): AuditActor => ({
  userId: req.actor!.userId,
  via: 'session',
  ip: req.ip,
  userAgent: req.headers['user-agent'],
});

export function keysRoutes(ctx: AppContext): Router {
  const secret = ctx.config.KEY_HASH_SECRET;
  return Router()
    .get('/', async (req, res) => {
      const query = parse(listKeysQuery, req.query, 'query');
      res.json(await listKeys(req.actor!.userId, query.include === 'archived', ctx.now()));
    })
    .post('/', async (req, res) => {
      const body = parse(createKeyBody, req.body);
      res.status(201).json(await createKey(body, auditActor(req), secret, ctx.now()));
    })
    .post('/:id/rotate', async (req, res) => {
      const { id } = parse(keyParams, req.params, 'params');
      const { grace_period } = parse(rotateKeyBody, req.body ?? {});
      res.json(await rotateKey(id, grace_period, auditActor(req), secret, ctx.now()));
    })
    .post('/:id/revoke', async (req, res) => {
      const { id } = parse(keyParams, req.params, 'params');
      res.json({ key: await revokeKey(id, auditActor(req), ctx.now()) });
    })
    .post('/:id/archive', async (req, res) => {
      const { id } = parse(keyParams, req.params, 'params');
      res.json({ key: await archiveKey(id, auditActor(req), ctx.now()) });
    })
    .get('/:id/events', async (req, res) => {
      const { id } = parse(keyParams, req.params, 'params');
      await findOwnKey(req.actor!.userId, id);
      res.json({ data: await listKeyEvents(id) });
    });
}
