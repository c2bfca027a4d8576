import { request } from 'node:http';
import { Metrics } from './metrics';
import { startMetricsListener } from './metrics-http';

// The stand-alone dispatcher's /metrics: its own node:http server, the api's access rule, on a real socket.
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
function call(url: string, method: string, headers: Record<string, string> = {}, path = '/metrics'): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startMetricsListener (GET /metrics of a process without an api)', () => {
  const metrics = new Metrics();
  metrics.delivery('delivered');
  let open: { url: string; close(): Promise<void> };
  let locked: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    open = await startMetricsListener(metrics, { host: '127.0.0.1', port: 0, token: null });
    locked = await startMetricsListener(metrics, { host: '127.0.0.1', port: 0, token: 's3cret-scrape' });
  });
  afterAll(async () => {
    await open.close();
    await locked.close();
  });

  it('serves the Prometheus text to a loopback client, counters included', async () => {
    const res = await call(open.url, 'GET');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(metrics.registry.contentType);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatch(/^portcullis_webhook_deliveries_total\{outcome="delivered"\} 1$/m);
    expect(res.body).toMatch(/^portcullis_process_cpu_seconds_total /m);
    const head = await call(open.url, 'HEAD');
    expect([head.status, head.body]).toEqual([200, '']);
  });

  // status, listener, request headers, method, path: what a scraper or a stranger may get.
  const rows: Array<[string, number, 'open' | 'locked', Record<string, string>, string, string]> = [
    ['through a proxy, no token configured', 403, 'open', { 'X-Forwarded-For': '203.0.113.9' }, 'GET', '/metrics'],
    ['through a proxy (Forwarded)', 403, 'open', { Forwarded: 'for=203.0.113.9' }, 'GET', '/metrics'],
    ['token configured, none sent', 401, 'locked', {}, 'GET', '/metrics'],
    ['token configured, a wrong one', 401, 'locked', { Authorization: 'Bearer s3cret-scrapE' }, 'GET', '/metrics'],
    [
      'token configured, sent as Basic',
      401,
      'locked',
      { Authorization: 'Basic czNjcmV0LXNjcmFwZQ==' },
      'GET',
      '/metrics',
    ],
    ['token configured and sent', 200, 'locked', { Authorization: 'Bearer s3cret-scrape' }, 'GET', '/metrics'],
    [
      'token sent through a proxy',
      200,
      'locked',
      { Authorization: 'Bearer s3cret-scrape', 'X-Real-IP': '1' },
      'GET',
      '/metrics',
    ],
    ['a write', 405, 'open', {}, 'POST', '/metrics'],
    ['another path', 404, 'open', {}, 'GET', '/api/v1/users'],
    ['a path below /metrics', 404, 'open', {}, 'GET', '/metrics/../etc/passwd'],
    ['a query string is fine', 200, 'open', {}, 'GET', '/metrics?x=1'],
  ];
  it.each(rows)('answers %s with %i', async (_why, status, which, headers, method, path) => {
    const res = await call((which === 'open' ? open : locked).url, method, headers, path);
    expect(res.status).toBe(status);
    if (status !== 200) expect(res.body).not.toMatch(/portcullis_/);
    if (status === 401) expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    if (status === 405) expect(res.headers['allow']).toBe('GET, HEAD');
  });

  it('refuses to start on a port already taken, saying so', async () => {
    const port = Number(new URL(open.url).port);
    await expect(startMetricsListener(metrics, { host: '127.0.0.1', port, token: null })).rejects.toThrow(/EADDRINUSE/);
  });
});
