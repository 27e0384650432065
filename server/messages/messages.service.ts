// Messages: created and read (no update or delete in the API). A message joins its contact's
// workspace; its domain event is written with it as a pending entry and published right after
// (docs/decisions/021-domain-events-after-writes.md).
import type { Actor } from '../access/actor';
import { reachOf, resolveWorkspace, visibleFilter } from '../access/visibility';
import { findVisibleContact } from '../contacts/contacts.service';
import { newOwnership } from '../contacts/ownership';
import { PENDING_EVENTS, pendingEvent, publishPending } from '../events/outbox';
import { AppError } from '../shared/errors';
import { toWire } from '../shared/mongoose-plugins';
import { paginate, type Page } from '../shared/pagination';
import { MessageModel, type MessageDoc } from './message.model';
import type { MessageCreate, MessageListQuery, MessageWire } from './message.schemas';

export const messageToWire = (doc: Record<string, unknown>): MessageWire =>
  toWire<MessageWire>(doc, [PENDING_EVENTS]);

export async function getMessage(actor: Actor, id: string): Promise<MessageWire> {
  const doc = await MessageModel.findOne({ $and: [{ _id: id }, visibleFilter(actor)] }).lean<MessageDoc>();
  if (!doc) throw new AppError('not_found', 'Message not found');
  return messageToWire(doc as unknown as Record<string, unknown>);
}

export async function listMessages(actor: Actor, query: MessageListQuery): Promise<Page<MessageWire>> {
  const filters: Array<Record<string, unknown>> = [visibleFilter(actor, query.workspace_id)];
  for (const field of ['contact_id', 'direction', 'channel'] as const) {
    if (query[field] !== undefined) filters.push({ [field]: query[field] });
  }
  return paginate(MessageModel, filters, query, messageToWire);
}

export async function createMessage(actor: Actor, input: MessageCreate, now: Date): Promise<MessageWire> {
  if (input.workspace_id) resolveWorkspace(actor, input.workspace_id);
  const contact = await findVisibleContact(actor, input.contact_id, input.workspace_id);
  if (!contact)
    throw new AppError('invalid_request', 'contact_id: no such contact in a workspace you can reach', {
      errors: [{ field: 'contact_id', message: 'No such contact in a workspace you can reach' }],
    });
  const reach = reachOf(actor, String(contact.workspace_id))!;
  const ownership = await newOwnership(actor, reach, input);
  const event = pendingEvent('message.created', undefined, now);
  const created = await MessageModel.create({
    workspace_id: reach.id,
    ...ownership,
    contact_id: contact._id,
    direction: input.direction,
    channel: input.channel,
    subject: input.subject ?? null,
    body: input.body,
    sent_at: input.sent_at ? new Date(input.sent_at) : now,
    created_at: now,
    updated_at: now,
    [PENDING_EVENTS]: [event],
  });
  const wire = messageToWire(created.toObject() as unknown as Record<string, unknown>);
  await publishPending(MessageModel, created._id, [event], wire);
  return wire;
}
