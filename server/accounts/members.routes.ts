// GET /api/v1/members and /app/members: the members of the workspaces the caller reaches.
import { Router } from 'express';
import type { AppContext } from '../context';
import { parse } from '../shared/validation';
import { memberListQuerySchema } from './members.schemas';
import { listWorkspaceMembers } from './members.service';

export function membersRoutes(_ctx: AppContext): Router {
  return Router().get('/', async (req, res) => {
    res.json(await listWorkspaceMembers(req.actor!, parse(memberListQuerySchema, req.query, 'query')));
  });
}
