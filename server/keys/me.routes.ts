// GET /api/v1/me: the key's creator, the key, and the workspaces in its scope with their API-access state.
import { Router } from 'express';
import type { AppContext } from '../context';
import { keyView } from './key-view';
import type { MeResponse } from './me.schemas';

export function meRoutes(ctx: AppContext): Router {
  return Router().get('/', (req, res) => {
    const { key, user, scoped } = req.apiKey!;
    const k = keyView(key, ctx.now());
    const body: MeResponse = {
      user: { id: String(user._id), email: user.email, name: user.name },
      key: {
        id: k.id,
        name: k.name,
        prefix: k.prefix,
        permission: k.permission,
        scope: k.scope,
        expires_at: k.expires_at,
        created_at: k.created_at,
        last_used_at: k.last_used_at,
      },
      workspaces: scoped.map(({ id, name, role, api_access_enabled }) => ({
        id,
        name,
        role,
        api_access_enabled,
      })),
    };
    res.json(body);
  });
}
