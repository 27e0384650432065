// One outbound POST with a hard deadline over the whole exchange (DNS, connect, TLS, answer).
// node:http(s) rather than fetch because its `lookup` option lets the SSRF guard choose the
// exact address we connect to; redirects are not followed (a 3xx is a failed attempt).
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';

export type PostResult = { status: number } | { error: string };

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  lookup: net.LookupFunction;
  /** Aborts the attempt early (the worker is stopping). */
  signal?: AbortSignal;
}

export function postJson(url: URL, body: string, options: PostOptions): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: PostResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, {
      method: 'POST',
      agent: false,
      lookup: options.lookup,
      headers: { ...options.headers, 'Content-Length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => {
      settle({ error: `timed out after ${options.timeoutMs} ms` });
      req.destroy();
    }, options.timeoutMs);
    const onAbort = () => {
      settle({ error: 'interrupted: the worker stopped' });
      req.destroy();
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    req.on('response', (res) => {
      settle({ status: res.statusCode ?? 0 });
      // The answer's body is not read; drain it so the connection can close, within the deadline.
      res.resume();
      res.on('close', cleanup);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      settle({ error: describe(err) });
    });
    req.end(body);
  });
}

function describe(err: NodeJS.ErrnoException): string {
  if (err.code === 'ETARGETREFUSED') return `target refused: ${err.message}`;
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ENOTFOUND') return 'host not found';
  if (err.code === 'ECONNRESET') return 'connection reset';
  return err.code ? `${err.code}: ${err.message}`.slice(0, 200) : err.message.slice(0, 200);
}
