// `/app/workspaces`: my workspaces, the API-access switch, members, and the admin view of keys.
import { Router } from 'express';
import type { AppContext } from '../context';
import { adminKeyView } from '../keys/keys.service';
import { parse, objectId } from '../shared/validation';
import { z } from '../shared/zod';
import { addMemberBody, changeRoleBody, createWorkspaceBody, updateWorkspaceBody } from './accounts.schemas';
import {
  addMember,
  changeRole,
  createWorkspace,
  listMembers,
  removeMember,
  updateWorkspace,
} from './workspaces.service';

const workspaceParams = z.object({ id: objectId }).strict();
const memberParams = z.object({ id: objectId, user_id: objectId }).strict();

export function workspacesRoutes(ctx: AppContext): Router {
  const me = (req: { actor?: { userId: string } }) => req.actor!.userId;
  return Router()
    .get('/', (req, res) => {
      res.json({ workspaces: req.account!.workspaces });
    })
    .post('/', async (req, res) => {
      const { name } = parse(createWorkspaceBody, req.body);
      res.status(201).json({ workspace: await createWorkspace(me(req), name, ctx.now()) });
    })
    .patch('/:id', async (req, res) => {
      const { id } = parse(workspaceParams, req.params, 'params');
      res.json({ workspace: await updateWorkspace(me(req), id, parse(updateWorkspaceBody, req.body)) });
    })
    .get('/:id/members', async (req, res) => {
      const { id } = parse(workspaceParams, req.params, 'params');
      res.json({ members: await listMembers(me(req), id) });
    })
    .post('/:id/members', async (req, res) => {
      const { id } = parse(workspaceParams, req.params, 'params');
      const { email, role } = parse(addMemberBody, req.body);
      res.status(201).json({ member: await addMember(me(req), id, email, role) });
    })
    .patch('/:id/members/:user_id', async (req, res) => {
      const { id, user_id } = parse(memberParams, req.params, 'params');
      const { role } = parse(changeRoleBody, req.body);
      res.json({ member: await changeRole(me(req), id, user_id, role) });
    })
    .delete('/:id/members/:user_id', async (req, res) => {
      const { id, user_id } = parse(memberParams, req.params, 'params');
      await removeMember(me(req), id, user_id);
      res.status(204).end();
    })
    .get('/:id/api-keys', async (req, res) => {
      const { id } = parse(workspaceParams, req.params, 'params');
      res.json({ data: await adminKeyView(me(req), id, ctx.now()) });
    });
}
