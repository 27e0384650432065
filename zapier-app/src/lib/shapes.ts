// What each trigger hands to Zapier. `perform` (a hook delivery) and `performList` (the list
// endpoint) both go through these functions, so a Zap's test sample and its live runs always have
// the same fields — Zapier maps fields by key, and a missing key silently breaks a Zap.
import type { Json } from './api';

export interface RecordWire extends Json {
  id: string;
  updated_at: string;
}

export interface Stage {
  id: string;
  name: string;
  position: number;
}
export interface Pipeline extends RecordWire {
  name: string;
  stages: Stage[];
}

/**
 * The record inside a hook delivery. The server POSTs `{ id, type, occurred_at, data }` where
 * `data` is the record exactly as GET returns it (see "REST hooks" in README.md); a bare record (e.g. a
 * hand-made test request) is accepted as well.
 */
export function recordOf(payload: unknown): RecordWire {
  const body = (payload ?? {}) as Json;
  const data = body.data as Json | null | undefined;
  if (data && typeof data === 'object' && typeof data.id === 'string') return data as RecordWire;
  return body as RecordWire;
}

/** Updated Contact: one item per change (Zapier dedupes on `id`), the contact's own id kept apart. */
export function updatedContactItem(contact: RecordWire): Json {
  return { ...contact, id: `${contact.id}-${contact.updated_at}`, contact_id: contact.id };
}

export interface StageChange {
  deal: RecordWire;
  pipeline_id: string;
  from_stage_id: string | null;
  to_stage_id: string;
  changed_at: string;
}

/** Deal Stage Changed: the deal's facts plus from/to stage with their names, one id per move. */
export function stageChangeItem(change: StageChange, pipelines: Pipeline[]): Json {
  const pipeline = pipelines.find((p) => p.id === change.pipeline_id);
  const stageName = (id: string | null) =>
    id ? (pipeline?.stages.find((s) => s.id === id)?.name ?? null) : null;
  const { deal } = change;
  return {
    id: `${deal.id}-${change.changed_at}`,
    deal_id: deal.id,
    title: deal.title ?? null,
    value: deal.value ?? null,
    currency: deal.currency ?? null,
    status: deal.status ?? null,
    contact_id: deal.contact_id ?? null,
    owner_id: deal.owner_id ?? null,
    workspace_id: deal.workspace_id ?? null,
    pipeline_id: change.pipeline_id,
    pipeline_name: pipeline?.name ?? null,
    from_stage_id: change.from_stage_id,
    from_stage_name: stageName(change.from_stage_id),
    to_stage_id: change.to_stage_id,
    to_stage_name: stageName(change.to_stage_id),
    changed_at: change.changed_at,
  };
}
