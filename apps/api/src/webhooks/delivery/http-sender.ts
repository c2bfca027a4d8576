import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { BlockedTargetError, type TargetGuard } from './target-guard';

/** OutgoingRequest is one webhook request as the dispatcher built it. */
export interface OutgoingRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** SendResult is what happened: status 0 when no answer came; `retryable` false when the target is refused. */
export interface SendResult {
  readonly status: number;
  readonly durationMs: number;
  readonly error: string | null;
  readonly retryable: boolean;
  readonly response: { headers: Record<string, string>; body: string; truncated: boolean } | null;
}

/** SenderOptions bounds one request. */
export interface SenderOptions {
  readonly timeoutMs: number;
  readonly responseMaxBytes: number;
  readonly maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * sendWebhook sends one request through the SSRF guard: it connects to the address the guard checked,
 * follows at most `maxRedirects` redirects (each target checked again; 301/302/303 become a GET without a
 * body, as browsers do), reads at most `responseMaxBytes` of the answer and gives up after `timeoutMs` in all.
 */
export async function sendWebhook(
  req: OutgoingRequest,
  guard: TargetGuard,
  options: SenderOptions,
): Promise<SendResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let current = { ...req };
  const took = () => Date.now() - started;
  try {
    for (let hop = 0; ; hop++) {
      const target = await guard.check(current.url);
      const res = await once(current, target.url, target.address, target.family, deadline, options.responseMaxBytes);
      const location = res.headers['location'];
      if (REDIRECTS.has(res.status) && location && hop < (options.maxRedirects ?? 3)) {
        const next = new URL(location, target.url).toString();
        const keep = res.status === 307 || res.status === 308;
        current = keep ? { ...current, url: next } : { ...current, url: next, method: 'GET', body: '' };
        continue;
      }
      return { status: res.status, durationMs: took(), error: null, retryable: true, response: res };
    }
  } catch (e) {
    const blocked = e instanceof BlockedTargetError;
    return {
      status: 0,
      durationMs: took(),
      error: blocked ? `refused by the SSRF guard: ${e.message}` : describe(e),
      retryable: !blocked,
      response: null,
    };
  }
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code
    ? `${err.code}${err.message && !err.message.includes(err.code) ? `: ${err.message}` : ''}`
    : String(err.message ?? e);
}

function once(
  req: OutgoingRequest,
  url: URL,
  address: string,
  family: 4 | 6,
  deadline: number,
  maxBytes: number,
): Promise<{ status: number; headers: Record<string, string>; body: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    // Pinned lookup: the socket goes to the address the guard approved, never to a second DNS answer.
    const lookup: LookupFunction = (_host, opts, cb) => {
      if ((opts as { all?: boolean }).all)
        (cb as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
      else cb(null, address, family);
    };
    const body = req.body ? Buffer.from(req.body, 'utf8') : null;
    const headers: Record<string, string> = { ...req.headers };
    if (body) headers['Content-Length'] = String(body.length);
    else delete headers['Content-Type'];
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const left = Math.max(1, deadline - Date.now());
    const r = send(
      url,
      { method: req.method, headers, lookup, timeout: left, servername: url.hostname },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on('data', (c: Buffer) => {
          if (size >= maxBytes) {
            truncated = true;
            // Enough read: stop the transfer rather than download an unbounded body.
            res.destroy();
            return;
          }
          chunks.push(c.subarray(0, maxBytes - size));
          if (c.length > maxBytes - size) truncated = true;
          size += Math.min(c.length, maxBytes - size);
        });
        const done = () => {
          clearTimeout(timer);
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks).toString('utf8'), truncated });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', () => done());
      },
    );
    const timer = setTimeout(
      () => r.destroy(Object.assign(new Error(`timed out after ${left} ms`), { code: 'ETIMEDOUT' })),
      left,
    );
    r.on('timeout', () => r.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    r.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    r.end(body ?? undefined);
  });
}
