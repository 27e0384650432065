// The two API surfaces. Both resolve the caller to an Actor and then share the same record
// routers and services, so a session and a key can never disagree about who sees what.
import { Router } from 'express';
import { membersRoutes } from './accounts/members.routes';
import { requireSession } from './accounts/session.middleware';
import { workspacesRoutes } from './accounts/workspaces.routes';
import { contactsRoutes } from './contacts/contacts.routes';
import type { AppContext } from './context';
import { dealsRoutes } from './deals/deals.routes';
import { hookDeliveriesRoutes, hooksRoutes } from './hooks/hooks.routes';
import { apiKeyAuth } from './keys/api-key.middleware';
import { keysRoutes } from './keys/keys.routes';
import { meRoutes } from './keys/me.routes';
import { messagesRoutes } from './messages/messages.routes';
import { openapiRoutes } from './openapi/openapi.routes';
import { pipelinesRoutes } from './pipeline/pipelines.routes';

/** `/api/v1`: Bearer API keys (authentication, rate limits, permission table) then the records. */
export function publicApiRoutes(ctx: AppContext): Router {
  const records = recordRoutes(ctx);
  return Router()
    .use('/openapi.json', openapiRoutes(ctx))
    .use(apiKeyAuth(ctx))
    .use('/me', meRoutes(ctx))
    .use('/hooks', hooksRoutes(ctx))
    .use('/members', membersRoutes(ctx))
    .use(records);
}

/** `/app`: the signed-in session (cookie + CSRF) behind the Settings page. */
export function sessionApiRoutes(ctx: AppContext): Router {
  return Router()
    .use(requireSession(ctx))
    .use('/workspaces', workspacesRoutes(ctx))
    .use('/api-keys', keysRoutes(ctx))
    .use('/hooks', hookDeliveriesRoutes(ctx))
    .use('/members', membersRoutes(ctx))
    .use(recordRoutes(ctx));
}

function recordRoutes(ctx: AppContext): Router {
  return Router()
    .use('/contacts', contactsRoutes(ctx))
    .use('/pipelines', pipelinesRoutes(ctx))
    .use('/deals', dealsRoutes(ctx))
    .use('/messages', messagesRoutes(ctx));
}
