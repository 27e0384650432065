// HTTP middleware shared by every request: the key goes out as a Bearer token, and every
// problem+json error comes back as a sentence the Zap user can act on, with the API's `code`.
import type {
  BeforeRequestMiddleware,
  AfterResponseMiddleware,
  HttpResponse,
  ZObject,
} from 'zapier-platform-core';
import { settingsUrl } from './lib/api';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json sits outside rootDir
const { version } = require('../package.json') as { version: string };

export const includeApiKey: BeforeRequestMiddleware = (request, _z, bundle) => {
  request.headers = request.headers ?? {};
  const apiKey = bundle.authData?.apiKey?.trim();
  if (apiKey) request.headers.Authorization = `Bearer ${apiKey}`;
  request.headers.Accept = 'application/json';
  // Shown as "last used from" next to the key in Settings.
  request.headers['User-Agent'] = `Switchboard-Zapier/${version}`;
  return request;
};

interface Problem {
  detail?: string;
  title?: string;
  code?: string;
  errors?: Array<{ field: string; message: string }>;
  key_permission?: string;
  required_permission?: string;
  existing_id?: string;
}

function readProblem(response: HttpResponse): Problem {
  try {
    const body = JSON.parse(response.content) as unknown;
    return body && typeof body === 'object' ? (body as Problem) : {};
  } catch {
    return {};
  }
}

/** "Contact not found" → "Contact not found." (details from the API may or may not end in a period). */
const sentence = (text: string): string => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

function retryAfterSeconds(response: HttpResponse, fallback: number): number {
  const header = response.getHeader('retry-after');
  const seconds = header ? Number.parseInt(header, 10) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : fallback;
}

const PERMISSION_LABEL: Record<string, string> = {
  read: 'Read only',
  write: 'Read & write',
  admin: 'Admin',
};
const label = (permission?: string) =>
  permission ? (PERMISSION_LABEL[permission] ?? permission) : 'unknown';

/** Turns one failed response into the error Zapier should show (and act on: retry, halt, reconnect). */
export function problemToError(z: ZObject, response: HttpResponse): Error {
  const problem = readProblem(response);
  const code = problem.code ?? `http_${response.status}`;
  const detail = sentence(problem.detail ?? problem.title ?? `Switchboard answered ${response.status}`);
  const keysPage = `${settingsUrl()} (Settings → API keys)`;
  const fields = problem.errors?.length
    ? ` ${problem.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`
    : '';

  switch (code) {
    case 'revoked_api_key':
    case 'expired_api_key': {
      const cause = code === 'revoked_api_key' ? 'has been revoked' : 'has expired';
      return new z.errors.ExpiredAuthError(
        `Your Switchboard API key ${cause}. Create a new key at ${keysPage} and reconnect your Switchboard account in Zapier.`,
      );
    }
    case 'missing_api_key':
    case 'invalid_api_key':
      return new z.errors.Error(
        `${detail} Check that you pasted the whole key (it starts with "sbk_"), or create a new one at ${keysPage}.`,
        code,
        response.status,
      );
    case 'api_access_disabled':
      return new z.errors.Error(
        `API access is not enabled for this account: an owner or admin must switch on API access in Settings (${settingsUrl()}).`,
        code,
        response.status,
      );
    case 'insufficient_permission': {
      const needed = problem.required_permission
        ? ` This step needs a "${label(problem.required_permission)}" key.`
        : '';
      return new z.errors.Error(
        `Your Switchboard API key has "${label(problem.key_permission)}" permission, which cannot do this.${needed} Create a key with more permission at ${keysPage} and reconnect.`,
        code,
        response.status,
      );
    }
    case 'rate_limited':
      return new z.errors.ThrottledError(
        `Switchboard's rate limit for this API key was reached: ${detail} Zapier will retry automatically.`,
        retryAfterSeconds(response, 60),
      );
    case 'service_unavailable':
      return new z.errors.ThrottledError(
        `Switchboard is temporarily unavailable: ${detail}`,
        retryAfterSeconds(response, 30),
      );
  }
  // A record that is gone (or that this key cannot see) and input the API rejects (e.g. a stage
  // of another pipeline) will fail the same way on every retry: halt instead of erroring the Zap.
  if (response.status === 404)
    return new z.errors.HaltedError(
      `${detail} It may have been deleted, or your API key cannot see it. (${code})`,
    );
  if (response.status === 422) return new z.errors.HaltedError(`${detail}${fields} (${code})`);
  if (response.status === 429) return new z.errors.ThrottledError(detail, retryAfterSeconds(response, 60));
  return new z.errors.Error(`${detail}${fields}`, code, response.status);
}

/**
 * Maps every 4xx/5xx, except statuses a request declared it handles itself with
 * `middlewareData: { expectedStatuses: [...] }` (a duplicate-email 409, an already-deleted hook's 404).
 */
export const handleErrors: AfterResponseMiddleware = (response, z) => {
  if (response.status < 400) return response;
  const expected = (response.request.middlewareData?.expectedStatuses ?? []) as number[];
  if (expected.includes(response.status)) return response;
  throw problemToError(z, response);
};
