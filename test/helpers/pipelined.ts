// Sends several HTTP/1.1 requests in ONE write on one connection (pipelining), so the server parses
// and dispatches them all in the same turn of its event loop: the way to make "requests that
// arrive together" deterministic in a test. Responses come back in order.
import net from 'node:net';

export interface PipelinedRequest {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface PipelinedResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export async function pipelined(baseUrl: string, requests: PipelinedRequest[]): Promise<PipelinedResponse[]> {
  const { hostname, port } = new URL(baseUrl);
  const wire = requests
    .map(({ method = 'GET', path, headers = {}, body }) => {
      const payload = body === undefined ? '' : JSON.stringify(body);
      const lines = [
        `${method} ${path} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        ...(body === undefined ? [] : ['Content-Type: application/json']),
        `Content-Length: ${Buffer.byteLength(payload)}`,
      ];
      return `${lines.join('\r\n')}\r\n\r\n${payload}`;
    })
    .join('');
  const socket = net.connect(Number(port), hostname);
  socket.write(wire);
  const responses: PipelinedResponse[] = [];
  let buffer = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed after ${responses.length} responses`)));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) break;
        const [statusLine, ...headerLines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
        const headers = Object.fromEntries(
          headerLines.map((l) => [
            l.slice(0, l.indexOf(':')).toLowerCase(),
            l.slice(l.indexOf(':') + 1).trim(),
          ]),
        );
        const length = Number(headers['content-length'] ?? 0);
        if (buffer.length < end + 4 + length) break;
        const text = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
        buffer = buffer.subarray(end + 4 + length);
        responses.push({
          status: Number(statusLine!.split(' ')[1]),
          headers,
          body: text ? (JSON.parse(text) as unknown) : undefined,
        });
      }
      if (responses.length === requests.length) {
        socket.removeAllListeners('close');
        socket.destroy();
        resolve(responses);
      }
    });
  });
}
