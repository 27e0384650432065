/// <reference lib="dom" />
// The page's only way to the server: the session API (spec 2b), same origin, cookies included,
// the CSRF double-submit header on every state-changing request, problem+json errors turned into
// sentences a person can act on.

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function csrfToken(): string {
  const match = document.cookie.split('; ').find((c) => c.startsWith('csrf_token='));
  return match ? decodeURIComponent(match.slice('csrf_token='.length)) : '';
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('Could not reach Switchboard. Check your connection and try again.', 0, 'network');
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.ok) return data as T;
  throw toApiError(res.status, data, res.headers.get('Retry-After'));
}

function toApiError(
  status: number,
  problem: Record<string, unknown> | null,
  retryAfter: string | null,
): ApiError {
  const code = typeof problem?.code === 'string' ? problem.code : 'unknown';
  const detail = typeof problem?.detail === 'string' ? problem.detail : '';
  const errors = Array.isArray(problem?.errors) ? (problem.errors as FieldError[]) : [];
  const message =
    code === 'invalid_request' && errors.length
      ? 'Please correct the highlighted fields.'
      : plainWords(status, code, detail, retryAfter);
  return new ApiError(message, status, code, errors);
}

/** What to tell a person, by code; the server's own detail when it is already written for people. */
function plainWords(status: number, code: string, detail: string, retryAfter: string | null): string {
  switch (code) {
    case 'not_signed_in':
      return 'Your session has ended. Sign in again to continue.';
    case 'invalid_credentials':
      return "That email and password don't match an account. Check them and try again.";
    case 'csrf_failed':
      return 'Your session could not be verified. Reload the page and try again.';
    case 'rate_limited':
      return `Too many attempts in a short time. Wait ${retryAfter ? `${retryAfter} seconds` : 'a minute'} and try again.`;
  }
  if (status >= 500 || status === 0)
    return 'Switchboard is having trouble right now. Nothing was changed; please try again in a moment.';
  return detail || 'That did not work. Please try again.';
}

/** Sends the person to sign in, coming back here afterwards. */
export function redirectToSignIn(): void {
  window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
}
