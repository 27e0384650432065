// Request and response shapes of /api/v1/hooks (and the OpenAPI document derived from them).
import { eventTypes, type EventType } from '../events/event.model';
import { objectId } from '../shared/validation';
import { z } from '../shared/zod';

/** Which filters each event type understands; any other filter is a 422, never silently ignored. */
export const filtersByEvent: Record<EventType, readonly FilterName[]> = {
  'contact.created': [],
  'contact.updated': [],
  'deal.created': ['pipeline_id', 'stage_id'],
  'deal.updated': ['pipeline_id', 'stage_id'],
  'deal.stage_changed': ['pipeline_id', 'stage_id'],
  'message.created': ['direction', 'channel'],
};
export type FilterName = 'pipeline_id' | 'stage_id' | 'direction' | 'channel';
export interface HookFilterInput {
  pipeline_id?: string;
  stage_id?: string;
  direction?: 'inbound' | 'outbound';
  channel?: 'email' | 'sms' | 'chat' | 'note';
}

// null means "no filter", so a client can send every optional field it has, filled or not.
export const hookFilters = z
  .object({
    pipeline_id: objectId.nullish().openapi({ description: 'Deals of this pipeline only' }),
    stage_id: objectId.nullish().openapi({
      description: 'Deals in this stage only (for deal.stage_changed: moved *to* this stage)',
    }),
    direction: z.enum(['inbound', 'outbound']).nullish().openapi({ description: 'message.created only' }),
    channel: z
      .enum(['email', 'sms', 'chat', 'note'])
      .nullish()
      .openapi({ description: 'message.created only' }),
  })
  .strict()
  .transform((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v != null)) as HookFilterInput)
  .openapi('HookFilters');

export const subscribeBody = z
  .object({
    event: z.enum(eventTypes).openapi({ example: 'contact.created' }),
    target_url: z.string().max(2048).openapi({
      description: 'https URL that receives the POSTs',
      example: 'https://hooks.zapier.com/hooks/standard/1/abc/',
    }),
    filters: hookFilters.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const allowed = filtersByEvent[body.event];
    for (const name of Object.keys(body.filters ?? {})) {
      if (!allowed.includes(name as FilterName)) {
        ctx.addIssue({
          code: 'custom',
          path: ['filters', name],
          message: allowed.length
            ? `Not a filter of ${body.event}; use ${allowed.join(' or ')}`
            : `${body.event} takes no filters`,
        });
      }
    }
  });
export type SubscribeInput = z.output<typeof subscribeBody>;

export const hookSubscription = z
  .object({
    id: z.string(),
    event: z.enum(eventTypes),
    target_url: z.string(),
    filters: z.object({
      pipeline_id: z.string().optional(),
      stage_id: z.string().optional(),
      direction: z.enum(['inbound', 'outbound']).optional(),
      channel: z.enum(['email', 'sms', 'chat', 'note']).optional(),
    }),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('HookSubscription');

export const createdHookSubscription = hookSubscription
  .extend({
    secret: z.string().openapi({
      description: 'Signing secret (HMAC-SHA-256 key for Switchboard-Signature). Returned by subscribe only.',
      example: 'whsec_…',
    }),
  })
  .openapi('CreatedHookSubscription');

export const hookSubscriptionList = z
  .object({ data: z.array(hookSubscription), next_cursor: z.null() })
  .openapi('HookSubscriptionList');

export const deliveriesQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(100).default(50) })
  .strict();
