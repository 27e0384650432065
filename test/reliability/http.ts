// A small HTTP client for the reliability suite: real sockets (fetch, keep-alive) against a
// listening app, and a bounded-concurrency runner, so load looks like many clients, not one.
import http from 'node:http';

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
  ms: number;
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer is sent as is (with the headers given). */
  body?: unknown;
  signal?: AbortSignal;
}

export async function send(
  base: string,
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<Reply> {
  const started = performance.now();
  const raw = options.body;
  const isRaw = typeof raw === 'string' || raw instanceof Uint8Array;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(raw !== undefined && !isRaw ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    // A string or bytes as they are (fetch accepts both; the DOM BodyInit type is not in our lib).
    body: raw === undefined ? undefined : isRaw ? (raw as unknown as string) : JSON.stringify(raw),
    signal: options.signal,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body, text, ms: performance.now() - started };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Like `send` but through node:http, which (unlike fetch) sends any method with any body bytes,
 * e.g. a GET with a malformed JSON body. Only for loopback http:// bases.
 */
export function sendRaw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Uint8Array,
): Promise<Reply> {
  const started = performance.now();
  const url = new URL(base);
  const payload =
    body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent,
        headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: h,
            body: parsed,
            text,
            ms: performance.now() - started,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs `fn` over `items` with at most `concurrency` in flight; rejects on the first error. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export const bearerHeader = (secret: string): Record<string, string> => ({
  authorization: `Bearer ${secret}`,
});

/** The error body every 4xx/5xx must have (spec §3): problem+json with a stable code. */
export function isProblem(reply: Reply): boolean {
  const b = reply.body as Record<string, unknown> | undefined;
  return (
    /application\/problem\+json/.test(reply.headers.get('content-type') ?? '') &&
    typeof b === 'object' &&
    b !== null &&
    typeof b.code === 'string' &&
    b.status === reply.status &&
    typeof b.title === 'string' &&
    typeof b.detail === 'string'
  );
}
