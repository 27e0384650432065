// The one place that knows where Switchboard lives and how its API is shaped (paths, list
// envelopes, hook subscriptions). Every operation goes through these helpers, so the base URL is
// read in exactly one spot and the auth/error middleware applies to every call.
import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';

export const DEFAULT_API_URL = 'https://api.switchboard.app';

/**
 * The server's origin. Read at request time (not at module load) so the Zapier runtime's
 * environment (`zapier env:set`) and tests that start a server on an ephemeral port both apply.
 */
export function apiBase(): string {
  const configured = process.env.SWITCHBOARD_API_URL?.trim();
  return (configured || DEFAULT_API_URL).replace(/\/+$/, '');
}

export const apiUrl = (path: string): string => `${apiBase()}/api/v1${path}`;

/** Where a user manages keys and the API-access switch; quoted in error messages and help text. */
export const settingsUrl = (): string => `${apiBase()}/settings`;

export type Json = Record<string, unknown>;

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

type Params = Record<string, string | number | boolean | undefined | null>;

/** Drops empty filters so optional Zap fields never reach the API as `?x=` (the API is strict). */
function cleanParams(params: Params = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    out[key] = String(value);
  }
  return out;
}

export async function apiGet<T = Json>(z: ZObject, path: string, params?: Params): Promise<T> {
  const response = await z.request<T>({ url: apiUrl(path), method: 'GET', params: cleanParams(params) });
  return response.data;
}

/** The first `limit` items of a list endpoint (newest first, as the API returns them). */
export async function apiList<T = Json>(
  z: ZObject,
  path: string,
  params: Params = {},
  limit = 25,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const pageSize = Math.min(100, limit - items.length);
    const page: Page<T> = await apiGet<Page<T>>(z, path, { ...params, limit: pageSize, cursor });
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && items.length < limit);
  return items;
}

/**
 * Page `index` (0-based, as Zapier's `bundle.meta.page`) of a list endpoint, found by walking the
 * API's cursors from the start. Stateless on purpose: z.cursor needs Zapier's RPC store (which
 * the local app tester lacks), and dropdowns are rarely paged past the first few pages.
 */
export async function apiPage<T = Json>(
  z: ZObject,
  path: string,
  index: number,
  pageSize = 50,
  params: Params = {},
): Promise<T[]> {
  let cursor: string | null = null;
  for (let i = 0; ; i++) {
    const page: Page<T> = await apiGet<Page<T>>(z, path, { ...params, limit: pageSize, cursor });
    if (i >= index) return page.data;
    if (!page.next_cursor) return [];
    cursor = page.next_cursor;
  }
}

export async function apiSend<T = Json>(
  z: ZObject,
  method: 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: Json,
  options: Partial<HttpRequestOptions> = {},
): Promise<HttpResponse<T>> {
  return z.request<T>({ url: apiUrl(path), method, ...(body ? { body } : {}), ...options });
}

/** `GET /api/v1/me`: the key's creator, the key itself and the workspaces it reaches. */
export interface Me {
  user: { id: string; email: string; name: string };
  key: { id: string; name: string; prefix: string; permission: 'read' | 'write' | 'admin' };
  workspaces: Array<{ id: string; name: string; role: string; api_access_enabled: boolean }>;
}

export const getMe = (z: ZObject): Promise<Me> => apiGet<Me>(z, '/me');

/**
 * REST-hook subscription for an instant trigger. The server makes it idempotent per key, event
 * and target URL, so Zapier re-subscribing the same Zap never yields duplicate deliveries.
 */
export async function subscribeHook(
  z: ZObject,
  bundle: Bundle,
  event: string,
  filters: Params = {},
): Promise<{ id: string }> {
  const clean = cleanParams(filters);
  const body: Json = { event, target_url: bundle.targetUrl };
  if (Object.keys(clean).length) body.filters = clean;
  const { data } = await apiSend<{ id: string }>(z, 'POST', '/hooks', body);
  // Only the id travels on to performUnsubscribe: the signing secret has no use inside Zapier.
  return { id: data.id };
}

/** Deleting an already-gone subscription (404) is success: the goal state is reached. */
export async function unsubscribeHook(z: ZObject, bundle: Bundle): Promise<{ id: string; deleted: true }> {
  const id = bundle.subscribeData?.id;
  if (!id) return { id: '', deleted: true };
  await apiSend(z, 'DELETE', `/hooks/${encodeURIComponent(id)}`, undefined, {
    skipThrowForStatus: true,
    middlewareData: { expectedStatuses: [404] },
  });
  return { id, deleted: true };
}
