// POST/GET /hooks and DELETE /hooks/{id} in the OpenAPI document, from the same zod schemas the
// routes validate with. Paths are relative to the `/api/v1` server of the document.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { problemSchema } from '../openapi/common.schemas';
import { z } from '../shared/zod';
import {
  createdHookSubscription,
  hookSubscription,
  hookSubscriptionList,
  subscribeBody,
} from './hooks.schemas';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

export function registerHooksOpenApi(registry: OpenAPIRegistry): void {
  registry.register('HookSubscription', hookSubscription);

  registry.registerPath({
    method: 'post',
    path: '/hooks',
    operationId: 'subscribeHook',
    tags: ['Hooks'],
    summary: 'Subscribe a URL to an event',
    description:
      'Creates a REST-hook subscription for this API key. Deliveries are signed POSTs (see "Hooks" in the docs). ' +
      'Subscribing again with the same event and target_url returns the existing subscription (200, same id and secret) with the filters of the latest request. ' +
      'Filters: `pipeline_id`, `stage_id` for deal events (for `deal.stage_changed`, the stage moved to); `direction`, ' +
      '`channel` for `message.created`; contact events take none. Requires the `read` permission.',
    request: { body: { required: true, ...json(subscribeBody) } },
    responses: {
      201: {
        description: 'Subscribed. `secret` signs every delivery; keep it.',
        ...json(createdHookSubscription),
      },
      200: {
        description: 'The subscription already existed; it is returned, with the filters just sent.',
        ...json(createdHookSubscription),
      },
      409: problem(
        '`limit_reached`: the key already holds the maximum number of subscriptions (50 by default).',
      ),
      422: problem(
        '`invalid_request`: unknown event, a filter the event does not take, or a refused target_url.',
      ),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/hooks',
    operationId: 'listHooks',
    tags: ['Hooks'],
    summary: "List this key's subscriptions",
    description: 'Every subscription made with this API key (never their secrets).',
    responses: { 200: { description: 'The subscriptions, newest first.', ...json(hookSubscriptionList) } },
  });

  registry.registerPath({
    method: 'delete',
    path: '/hooks/{id}',
    operationId: 'unsubscribeHook',
    tags: ['Hooks'],
    summary: 'Unsubscribe',
    description: 'Deletes one of this key’s subscriptions; deliveries not yet made are cancelled.',
    request: { params: z.object({ id: z.string().openapi({ description: 'The subscription id.' }) }) },
    responses: {
      204: { description: 'Deleted.' },
      404: problem('`not_found`: no such subscription for this key (treat as already deleted).'),
    },
  });
}
