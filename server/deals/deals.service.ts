// Deals: the rules of both APIs. A change carries its domain events as pending entries in the
// same document write, published right after (docs/decisions/021-domain-events-after-writes.md).
import type { Actor } from '../access/actor';
import { canDelete, reachOf, visibleFilter } from '../access/visibility';
import { newOwnership, ownershipChange } from '../contacts/ownership';
import {
  PENDING_EVENTS,
  pendingEvent,
  pendingOf,
  publishPending,
  pushPending,
  type PendingEvent,
} from '../events/outbox';
import { AppError } from '../shared/errors';
import { toWire } from '../shared/mongoose-plugins';
import { paginate, type Page } from '../shared/pagination';
import { DealModel, type DealDoc } from './deal.model';
import { contactFor, pipelineForNewDeal, pipelineInWorkspace, stageFor } from './deal.references';
import type { DealCreate, DealListQuery, DealUpdate, DealWire } from './deal.schemas';

export const dealToWire = (doc: Record<string, unknown>): DealWire => toWire<DealWire>(doc, [PENDING_EVENTS]);
const wireOf = (doc: DealDoc): DealWire => dealToWire(doc as unknown as Record<string, unknown>);
/** Attempts of an update that raced with another change of the same deal's stage. */
const MAX_ATTEMPTS = 3;

async function findVisibleDeal(actor: Actor, id: string): Promise<DealDoc | null> {
  return DealModel.findOne({ $and: [{ _id: id }, visibleFilter(actor)] }).lean<DealDoc>();
}

export async function getDeal(actor: Actor, id: string): Promise<DealWire> {
  const doc = await findVisibleDeal(actor, id);
  if (!doc) throw new AppError('not_found', 'Deal not found');
  return wireOf(doc);
}

export async function listDeals(actor: Actor, query: DealListQuery): Promise<Page<DealWire>> {
  const filters: Array<Record<string, unknown>> = [visibleFilter(actor, query.workspace_id)];
  for (const field of ['pipeline_id', 'stage_id', 'status', 'contact_id'] as const) {
    if (query[field] !== undefined) filters.push({ [field]: query[field] });
  }
  return paginate(DealModel, filters, query, dealToWire);
}

export async function createDeal(actor: Actor, input: DealCreate, now: Date): Promise<DealWire> {
  const { reach, pipeline } = await pipelineForNewDeal(actor, input.pipeline_id, input.workspace_id);
  const stageId = stageFor(pipeline, input.stage_id);
  const contactId = await contactFor(actor, input.contact_id, reach.id);
  const ownership = await newOwnership(actor, reach, input);
  const event = pendingEvent('deal.created', undefined, now);
  const created = await DealModel.create({
    workspace_id: reach.id,
    ...ownership,
    title: input.title,
    value: input.value,
    currency: input.currency,
    pipeline_id: pipeline._id,
    stage_id: stageId,
    contact_id: contactId,
    status: input.status,
    created_at: now,
    updated_at: now,
    [PENDING_EVENTS]: [event],
  });
  const wire = wireOf(created.toObject() as DealDoc);
  await publishPending(DealModel, created._id, [event], wire);
  return wire;
}

async function changesOf(
  actor: Actor,
  existing: DealDoc,
  input: DealUpdate,
): Promise<Record<string, unknown>> {
  const workspaceId = String(existing.workspace_id);
  const wanted: Record<string, unknown> = {};
  for (const field of ['title', 'value', 'currency', 'status'] as const) {
    if (input[field] !== undefined) wanted[field] = input[field];
  }
  const pipelineId = input.pipeline_id?.toLowerCase() ?? String(existing.pipeline_id);
  if (input.pipeline_id !== undefined || input.stage_id !== undefined) {
    const pipeline = await pipelineInWorkspace(actor, pipelineId, workspaceId);
    const samePipeline = pipelineId === String(existing.pipeline_id);
    // Moving to another pipeline without a stage lands on its first stage.
    wanted.stage_id = stageFor(
      pipeline,
      input.stage_id ?? (samePipeline ? String(existing.stage_id) : undefined),
    );
    wanted.pipeline_id = pipelineId;
  }
  if (input.contact_id !== undefined)
    wanted.contact_id = await contactFor(actor, input.contact_id, workspaceId);
  const current = wireOf(existing) as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.entries(wanted).filter(([k, v]) => current[k] !== v));
}

/**
 * deal.updated, plus deal.stage_changed when the stage moves. Known before the write: the write is
 * conditional on the stage that was read, so `from_stage_id` is exactly the stage the deal leaves.
 */
function eventsOfUpdate(existing: DealDoc, set: Record<string, unknown>, now: Date): PendingEvent[] {
  const events = [pendingEvent('deal.updated', undefined, now)];
  const from = String(existing.stage_id);
  const to = set.stage_id === undefined ? from : String(set.stage_id);
  if (to !== from) {
    const data = {
      from_stage_id: from,
      to_stage_id: to,
      pipeline_id: String(set.pipeline_id ?? existing.pipeline_id),
      changed_at: now.toISOString(),
    };
    events.push(pendingEvent('deal.stage_changed', data, now));
  }
  return events;
}

export async function updateDeal(actor: Actor, id: string, input: DealUpdate, now: Date): Promise<DealWire> {
  for (let attempt = 1; ; attempt += 1) {
    const existing = await findVisibleDeal(actor, id);
    if (!existing) throw new AppError('not_found', 'Deal not found');
    const reach = reachOf(actor, String(existing.workspace_id))!;
    const set: Record<string, unknown> = {
      ...(await changesOf(actor, existing, input)),
      ...(await ownershipChange(actor, reach, existing, input)),
    };
    if (Object.keys(set).length === 0) return wireOf(existing);
    const events = eventsOfUpdate(existing, set, now);
    // Conditional on the stage we read, so `from_stage_id` of a stage change is exactly right.
    const doc = await DealModel.findOneAndUpdate(
      {
        $and: [
          { _id: id, pipeline_id: existing.pipeline_id, stage_id: existing.stage_id },
          visibleFilter(actor),
        ],
      },
      { $set: { ...set, updated_at: now }, ...pushPending(...events) },
      { returnDocument: 'after' },
    ).lean<DealDoc>();
    if (!doc) {
      if (attempt < MAX_ATTEMPTS) continue;
      throw new AppError('conflict', 'The deal changed while it was being updated; retry');
    }
    const wire = wireOf(doc);
    await publishPending(DealModel, doc._id, events, wire);
    return wire;
  }
}

export async function deleteDeal(actor: Actor, id: string): Promise<void> {
  const existing = await findVisibleDeal(actor, id);
  if (!existing) throw new AppError('not_found', 'Deal not found');
  if (!canDelete(actor, existing))
    throw new AppError('forbidden', "Only the deal's owner or a workspace owner/admin can delete it");
  // A change whose request died before publishing its events still gets them before the record goes.
  await publishPending(DealModel, existing._id, pendingOf(existing), wireOf(existing), { recovered: true });
  await DealModel.deleteOne({ _id: existing._id, workspace_id: existing.workspace_id });
}
