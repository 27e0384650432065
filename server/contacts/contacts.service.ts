// Contacts: the rules of both APIs. Every read goes through visibleFilter; every change writes its
// domain event as a pending entry in the same document write, then publishes it
// (docs/decisions/021-domain-events-after-writes.md).
import type { Actor } from '../access/actor';
import { canDelete, reachOf, resolveWorkspace, visibleFilter } from '../access/visibility';
import { PENDING_EVENTS, pendingEvent, pendingOf, publishPending, pushPending } from '../events/outbox';
import { AppError, isDuplicateKey } from '../shared/errors';
import { toWire } from '../shared/mongoose-plugins';
import { paginate, type Page } from '../shared/pagination';
import { ContactModel, type ContactDoc } from './contact.model';
import type { ContactCreate, ContactListQuery, ContactUpdate, ContactWire } from './contact.schemas';
import { newOwnership, ownershipChange } from './ownership';

export const contactToWire = (doc: Record<string, unknown>): ContactWire =>
  toWire<ContactWire>(doc, [PENDING_EVENTS]);
const wireOf = (doc: ContactDoc): ContactWire => contactToWire(doc as unknown as Record<string, unknown>);

/** A 409 naming the contact that already has this email in the workspace. */
async function emailTaken(workspaceId: string, email: string, cause: unknown): Promise<AppError> {
  const existing = await ContactModel.findOne({ workspace_id: workspaceId, email }, { _id: 1 }).lean();
  const id = existing ? String(existing._id) : undefined;
  return new AppError(
    'conflict',
    `A contact with the email ${email} already exists in this workspace${id ? ` (id ${id})` : ''}`,
    {
      extra: id ? { existing_id: id } : {},
      errors: [{ field: 'email', message: 'Already taken in this workspace' }],
      cause,
    },
  );
}

export async function findVisibleContact(
  actor: Actor,
  id: string,
  workspaceId?: string,
): Promise<ContactDoc | null> {
  return ContactModel.findOne({ $and: [{ _id: id }, visibleFilter(actor, workspaceId)] }).lean<ContactDoc>();
}

export async function getContact(actor: Actor, id: string): Promise<ContactWire> {
  const doc = await findVisibleContact(actor, id);
  if (!doc) throw new AppError('not_found', 'Contact not found');
  return wireOf(doc);
}

export async function listContacts(actor: Actor, query: ContactListQuery): Promise<Page<ContactWire>> {
  const filters = [visibleFilter(actor, query.workspace_id)];
  if (query.email) filters.push({ email: query.email.toLowerCase() });
  return paginate(ContactModel, filters, query, contactToWire);
}

export async function createContact(actor: Actor, input: ContactCreate, now: Date): Promise<ContactWire> {
  const reach = resolveWorkspace(actor, input.workspace_id);
  const ownership = await newOwnership(actor, reach, input);
  const email = input.email?.toLowerCase() ?? null;
  const event = pendingEvent('contact.created', undefined, now);
  let doc: ContactDoc;
  try {
    const created = await ContactModel.create({
      workspace_id: reach.id,
      ...ownership,
      name: input.name,
      email,
      phone: input.phone ?? null,
      company: input.company ?? null,
      tags: input.tags ?? [],
      custom_fields: input.custom_fields ?? {},
      created_at: now,
      updated_at: now,
      [PENDING_EVENTS]: [event],
    });
    doc = created.toObject() as ContactDoc;
  } catch (err) {
    if (isDuplicateKey(err) && email) throw await emailTaken(reach.id, email, err);
    throw err;
  }
  const wire = wireOf(doc);
  await publishPending(ContactModel, doc._id, [event], wire);
  return wire;
}

/** The `$set` of a PATCH: only fields that really change (so a no-op PATCH records no event). */
function changesOf(existing: ContactDoc, input: ContactUpdate): Record<string, unknown> {
  const wanted: Record<string, unknown> = {};
  if (input.name !== undefined) wanted.name = input.name;
  if (input.email !== undefined) wanted.email = input.email?.toLowerCase() ?? null;
  if (input.phone !== undefined) wanted.phone = input.phone;
  if (input.company !== undefined) wanted.company = input.company;
  if (input.tags !== undefined) wanted.tags = input.tags ?? [];
  if (input.custom_fields !== undefined) wanted.custom_fields = input.custom_fields ?? {};
  const current = existing as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(wanted).filter(([k, v]) => JSON.stringify(current[k] ?? null) !== JSON.stringify(v)),
  );
}

export async function updateContact(
  actor: Actor,
  id: string,
  input: ContactUpdate,
  now: Date,
): Promise<ContactWire> {
  const existing = await findVisibleContact(actor, id);
  if (!existing) throw new AppError('not_found', 'Contact not found');
  const reach = reachOf(actor, String(existing.workspace_id))!;
  const set: Record<string, unknown> = {
    ...changesOf(existing, input),
    ...(await ownershipChange(actor, reach, existing, input)),
  };
  if (Object.keys(set).length === 0) return wireOf(existing);
  const event = pendingEvent('contact.updated', undefined, now);
  let doc: ContactDoc | null;
  try {
    // Re-checks visibility in the write itself: a concurrent change of owner/visibility wins.
    doc = await ContactModel.findOneAndUpdate(
      { $and: [{ _id: id }, visibleFilter(actor)] },
      { $set: { ...set, updated_at: now }, ...pushPending(event) },
      { returnDocument: 'after' },
    ).lean<ContactDoc>();
  } catch (err) {
    if (isDuplicateKey(err) && typeof set.email === 'string')
      throw await emailTaken(reach.id, set.email, err);
    throw err;
  }
  if (!doc) throw new AppError('not_found', 'Contact not found');
  const wire = wireOf(doc);
  await publishPending(ContactModel, doc._id, [event], wire);
  return wire;
}

export async function deleteContact(actor: Actor, id: string): Promise<void> {
  const existing = await findVisibleContact(actor, id);
  if (!existing) throw new AppError('not_found', 'Contact not found');
  if (!canDelete(actor, existing))
    throw new AppError('forbidden', "Only the contact's owner or a workspace owner/admin can delete it");
  // A change whose request died before publishing its event still gets it before the record goes.
  await publishPending(ContactModel, existing._id, pendingOf(existing), wireOf(existing), {
    recovered: true,
  });
  await ContactModel.deleteOne({ _id: existing._id, workspace_id: existing.workspace_id });
}
