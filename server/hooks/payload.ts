// What a subscriber receives for a domain event, and whether a subscription's filters match it.
// The payload is the contract the Zapier app and the README document: change both together.
import type { DomainEvent } from '../events/event.model';
import type { HookFilters } from './subscription.model';

type EventLike = Pick<DomainEvent, 'type' | 'record' | 'data' | 'occurred_at'> & { _id: unknown };

const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const iso = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);

/**
 * `{ id, type, occurred_at, data }`: `id` is the event id (the same on every retry, for dedupe),
 * `data` the record exactly as GET returned it at the time of the change. A stage change also
 * carries from/to stage, pipeline and changed_at at the top level.
 */
export function payloadOf(event: EventLike): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    id: String(event._id),
    type: event.type,
    occurred_at: new Date(event.occurred_at).toISOString(),
    data: event.record,
  };
  if (event.type === 'deal.stage_changed') {
    const extra = (event.data ?? {}) as Record<string, unknown>;
    const record = event.record as Record<string, unknown>;
    payload.from_stage_id = str(extra.from_stage_id) ?? null;
    payload.to_stage_id = str(extra.to_stage_id ?? record.stage_id) ?? null;
    payload.pipeline_id = str(extra.pipeline_id ?? record.pipeline_id) ?? null;
    payload.changed_at = iso(extra.changed_at ?? event.occurred_at);
  }
  return payload;
}

/** Filters compare with the event's own facts: for a stage change, the stage it moved *to*. */
export function matchesFilters(filters: HookFilters | null | undefined, event: EventLike): boolean {
  if (!filters) return true;
  const record = event.record as Record<string, unknown>;
  const extra = (event.data ?? {}) as Record<string, unknown>;
  const stageChange = event.type === 'deal.stage_changed';
  const want: [unknown, unknown][] = [
    [filters.pipeline_id, stageChange ? (extra.pipeline_id ?? record.pipeline_id) : record.pipeline_id],
    [filters.stage_id, stageChange ? (extra.to_stage_id ?? record.stage_id) : record.stage_id],
    [filters.direction, record.direction],
    [filters.channel, record.channel],
  ];
  return want.every(([wanted, actual]) => wanted == null || str(wanted) === str(actual));
}
