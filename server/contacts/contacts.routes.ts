// Contacts for both APIs (`/api/v1/contacts` and `/app/contacts`): parse, call the service, respond.
import { Router } from 'express';
import type { AppContext } from '../context';
import { idempotency } from '../idempotency/idempotency.middleware';
import { parseId } from '../openapi/common.schemas';
import { parse } from '../shared/validation';
import { contactCreateSchema, contactListQuerySchema, contactUpdateSchema } from './contact.schemas';
import { createContact, deleteContact, getContact, listContacts, updateContact } from './contacts.service';

export function contactsRoutes(ctx: AppContext): Router {
  const once = idempotency(ctx);
  return Router()
    .get('/', async (req, res) => {
      res.json(await listContacts(req.actor!, parse(contactListQuerySchema, req.query, 'query')));
    })
    .post('/', once, async (req, res) => {
      res.status(201).json(await createContact(req.actor!, parse(contactCreateSchema, req.body), ctx.now()));
    })
    .get('/:id', async (req, res) => {
      res.json(await getContact(req.actor!, parseId(req.params, 'Contact')));
    })
    .patch('/:id', once, async (req, res) => {
      const id = parseId(req.params, 'Contact');
      res.json(await updateContact(req.actor!, id, parse(contactUpdateSchema, req.body), ctx.now()));
    })
    .delete('/:id', once, async (req, res) => {
      await deleteContact(req.actor!, parseId(req.params, 'Contact'));
      res.status(204).end();
    });
}
