// The human introduction of the API (the OpenAPI document's `info.description`, Markdown), also
// rendered at the top of /docs. Error codes come from the closed set in shared/errors.ts, so a new
// code cannot ship undocumented (the meanings map below is typed by it).
import { problems, type ProblemCode } from '../shared/errors';

const meanings: Record<ProblemCode, string> = {
  missing_api_key: 'No `Authorization: Bearer sbk_…` header was sent.',
  invalid_api_key: 'The key is malformed, mistyped or unknown. Copy it again, or create a new one.',
  expired_api_key:
    'The key passed its expiry date. Create a new key (or rotate before it expires next time).',
  revoked_api_key: 'The key was revoked (or its rotation grace period ended). Use its replacement.',
  not_signed_in: 'Session API only: sign in first (the session is missing or expired).',
  invalid_credentials: 'Session API only: the email or password is wrong.',
  api_access_disabled:
    'The key is valid, but no workspace it can reach has API access on. A workspace owner or admin turns it on in Settings.',
  insufficient_permission:
    "The key's permission is too low: `read` keys can only GET, `write` keys cannot DELETE. `key_permission` and `required_permission` say which.",
  forbidden:
    "The caller can see the record but may not do this to it (e.g. delete someone else's record without being a workspace admin).",
  csrf_failed:
    'Session API only: the `X-CSRF-Token` header is missing or does not match the `csrf_token` cookie.',
  not_found: 'No such record — or one the caller cannot see (existence is never revealed).',
  method_not_allowed: 'The path exists but not with this HTTP method.',
  invalid_request:
    'The request failed validation: 400 for the query string, headers or malformed JSON, 422 for the body. `errors` lists every field.',
  conflict:
    "A unique field is already taken (a contact's email: `existing_id` names the contact), an `Idempotency-Key` was reused with another request, or the same key is still being processed.",
  limit_reached: 'A per-user limit was reached (e.g. 25 active API keys).',
  payload_too_large: 'The request body is larger than the server accepts.',
  unsupported_media_type: 'Send request bodies as `application/json`.',
  rate_limited:
    'Too many requests for this key this minute (or too many failed authentications from this IP). Wait `Retry-After` seconds.',
  internal_error: 'A bug on our side; the `request_id` helps us find it.',
  service_unavailable: 'The database cannot be reached. Retry after `Retry-After` seconds.',
};

const errorRows = (Object.keys(problems) as ProblemCode[])
  .map((code) => `| <a id="error-${code}"></a>\`${code}\` | ${problems[code].status} | ${meanings[code]} |`)
  .join('\n');

export function introMarkdown(baseUrl: string, rateLimit: number, authFailureLimit: number): string {
  return `Switchboard is a small CRM: contacts, a sales pipeline with deals, and messages. This API lets your scripts, Zapier and other tools read and change them with an API key that acts as you.

## Getting started

1. Sign in and open **Settings → API keys**. A workspace owner or admin first turns on **API access** for the workspace.
2. Click **Create key**: give it a name (e.g. "Zapier Integration"), a permission (\`read\`, \`write\` or \`admin\`), an expiry and a scope (all workspaces, or one). Copy the secret now — it is shown only once.
3. Keep it in an environment variable or a secret manager, never in source code, and test it:

\`\`\`sh
export SWITCHBOARD_API_KEY=sbk_…
curl -H "Authorization: Bearer $SWITCHBOARD_API_KEY" ${baseUrl}/api/v1/me
\`\`\`

A success lists you, the key, and the workspaces it reaches with their API-access state. Then create and list a contact:

\`\`\`sh
curl -X POST ${baseUrl}/api/v1/contacts -H "Authorization: Bearer $SWITCHBOARD_API_KEY" \\
  -H "Content-Type: application/json" -d '{"name":"Ada Lovelace","email":"ada@example.com"}'
curl -H "Authorization: Bearer $SWITCHBOARD_API_KEY" "${baseUrl}/api/v1/contacts?limit=10"
\`\`\`

## Authentication and access

Send the key in the \`Authorization: Bearer\` header only (never in a URL). A key acts as the user who created it, at the moment of each request: it sees what that user can see now, narrowed by its permission and scope. Records are \`private\` (their owner, plus workspace owners/admins) or \`workspace\` (every member). A record you cannot see is a 404, never a 403. When a key expires, every response carries \`Switchboard-Key-Expires-At\`.

JSON is snake_case; ids are strings; times are ISO-8601 UTC. Creates take \`workspace_id\` when the key reaches several workspaces. Unknown fields are refused (422). A PATCH changes only the fields sent; \`null\` clears an optional field.

## Errors

Errors are \`application/problem+json\`: \`{ "type", "title", "status", "detail", "code", "request_id" }\`, plus \`errors\` (per field) for \`invalid_request\` and \`existing_id\` for an email \`conflict\`. Branch on \`code\`; \`type\` links to its row below.

| code | status | meaning |
| --- | --- | --- |
${errorRows}

## Rate limits

Each key may make ${rateLimit} requests per minute; an IP may fail authentication ${authFailureLimit} times per minute. Every response carries the IETF \`RateLimit-Policy\` and \`RateLimit\` headers and the legacy \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\`. Over the limit: 429 \`rate_limited\` with \`Retry-After\` (seconds) — wait that long, then retry.

## Pagination

Lists return \`{ "data": [...], "next_cursor": "…" }\`, newest first (by \`created_at\`, then id). Pass \`next_cursor\` back as \`?cursor=\` for the next page until it is \`null\`; \`limit\` is 1–100 (default 25). Records created while you walk never make you miss or repeat one. Filters: \`updated_since\` (ISO-8601), \`workspace_id\`, and per resource: contacts \`email\`; deals \`pipeline_id\`, \`stage_id\`, \`status\`, \`contact_id\`; messages \`contact_id\`, \`direction\`, \`channel\`.

## Idempotent retries

Send \`Idempotency-Key: <unique string, 1–255 chars>\` on a POST, PATCH or DELETE to make a retry safe: the same key with the same request within 24 hours returns the first response again (with \`Idempotent-Replayed: true\`); the same key with a different request is a 409 \`conflict\`, as is a retry while the first is still running.

## Hooks and signature checking

Subscribe with \`POST /api/v1/hooks\` \`{ "event", "target_url", "filters"? }\` to \`contact.created\`, \`contact.updated\`, \`deal.created\`, \`deal.updated\`, \`deal.stage_changed\` or \`message.created\`; the response holds the subscription's \`secret\`. Each delivery is a POST whose body is the event, signed in the \`Switchboard-Signature: t=<unix seconds>,v1=<hex>\` header, where \`v1\` is the HMAC-SHA-256, keyed with the secret, of \`<t>.<raw body>\`. Check it before trusting the body, and refuse old timestamps:

\`\`\`js
const crypto = require('node:crypto');
function verify(rawBody, header, secret, toleranceSeconds = 300) {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=')));
  const expected = crypto.createHmac('sha256', secret).update(\`\${parts.t}.\${rawBody}\`).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) <= toleranceSeconds;
  return fresh && parts.v1?.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(parts.v1), Buffer.from(expected));
}
\`\`\`

Failed deliveries are retried with exponential backoff for at least 24 hours; answer 410 to remove the subscription.

## Ask an AI coding assistant

After creating a key, paste this prompt into your coding assistant:

\`\`\`text
Use my Switchboard API key from the SWITCHBOARD_API_KEY environment variable.
Call GET ${baseUrl}/api/v1/me with the header "Authorization: Bearer $SWITCHBOARD_API_KEY".
If the request succeeds, list the key name, permission, scope, expiry and the workspaces it can reach.
If it fails, read the "code" of the problem+json body and explain whether the likely issue is a
missing key (missing_api_key), an invalid, expired or revoked key (invalid_api_key, expired_api_key,
revoked_api_key), disabled API access (api_access_disabled) or rate limiting (rate_limited, honour
Retry-After), and what to do about it. Never print the key itself.
\`\`\`
`;
}
