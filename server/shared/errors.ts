// One error class and a closed set of codes: clients branch on `code`, never on prose.
export const problems = {
  missing_api_key: { status: 401, title: 'Missing API key' },
  invalid_api_key: { status: 401, title: 'Invalid API key' },
  expired_api_key: { status: 401, title: 'Expired API key' },
  revoked_api_key: { status: 401, title: 'Revoked API key' },
  not_signed_in: { status: 401, title: 'Not signed in' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  api_access_disabled: { status: 403, title: 'API access disabled' },
  insufficient_permission: { status: 403, title: 'Insufficient permission' },
  forbidden: { status: 403, title: 'Forbidden' },
  csrf_failed: { status: 403, title: 'CSRF check failed' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  invalid_request: { status: 422, title: 'Invalid request' },
  conflict: { status: 409, title: 'Conflict' },
  limit_reached: { status: 409, title: 'Limit reached' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problems;

export interface FieldError {
  field: string;
  message: string;
  code?: string;
}

export interface AppErrorOptions {
  status?: number;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members of the problem body (e.g. `existing_id` of a conflict). Never secrets. */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string = problems[code].title,
    options: AppErrorOptions = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.status = options.status ?? problems[code].status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
  }
}

export const notFound = (what = 'Resource'): AppError => new AppError('not_found', `${what} not found`);

/** MongoDB's E11000: a unique index refused the write. */
export const isDuplicateKey = (err: unknown): boolean => (err as { code?: number })?.code === 11000;
