import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../app/create-app';
import { loadConfig } from '@portcullis/config';
import { NotificationSecrets } from '../registry-events/notification-secrets';
import { eventually, notification } from '../testing/webhook-receiver';
import { safeUrl, saneRequestId } from './logging';

const SERVICE = 'registry.test:5000';
const ADMIN_PASSWORD = 'Adm1n-pw-NEVER-LOGGED';
const METRICS_TOKEN = 'metrics-token-NEVER-LOGGED';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/**
 * Every line the api logs goes to a captured pino destination at log level debug; each row sends secrets
 * through one channel (headers, form bodies, JSON bodies, query strings) and then no line may contain any of
 * them (nor their Basic-auth base64 form), while the request's own access line must be there.
 */
describe('structured logs: request ids, and no secret in any line', () => {
  const lines: string[] = [];
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let dataDir: string;
  const ctx = { adminToken: '', notificationAuth: '', csrf: '', cookie: '' };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'portcullis-logging-'));
    const config = loadConfig({
      PORTCULLIS_DATA_DIR: dataDir,
      PORTCULLIS_LOG_LEVEL: 'debug',
      PORTCULLIS_PROJECTOR_EMBEDDED: 'true',
      PORTCULLIS_METRICS_TOKEN: METRICS_TOKEN,
    });
    app = await createApp(config, { logDestination: { write: (line: string) => void lines.push(line) } });
    // Listening, as main.ts does: Nest's buffered logger lines only flow once the app listens (init alone keeps
    // them), and the notification listener's lines are Nest Logger lines.
    await app.listen(0, '127.0.0.1');
    http = request(app.getHttpServer());
    const boot = await http
      .post('/api/v1/users/bootstrap')
      .send({ user: { username: 'admin', email: 'admin@example.com', password: ADMIN_PASSWORD } })
      .expect(201);
    ctx.adminToken = boot.body.plain_token;
    const registry = await http
      .post('/api/v1/registries')
      .set('Portus-Auth', `admin:${ctx.adminToken}`)
      .send({ registry: { name: 'main', hostname: SERVICE, use_ssl: false }, force: true })
      .expect(201);
    ctx.notificationAuth = app.get(NotificationSecrets).authorizationFor(registry.body.id);
    const login = await http.post('/api/v1/sessions').send({ username: 'admin', password: ADMIN_PASSWORD }).expect(201);
    ctx.csrf = login.body.csrf_token;
    ctx.cookie = String(login.headers['set-cookie']).split(';')[0];
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const secretsOf = () => [
    ADMIN_PASSWORD,
    METRICS_TOKEN,
    ctx.adminToken,
    ctx.notificationAuth.slice('Bearer '.length),
    ctx.csrf,
    ctx.cookie.split('=')[1],
  ];

  type Row = [string, string[], (id: string) => request.Test];
  const rows: Row[] = [
    [
      'Basic credentials on the OAuth2 form (POST /v2/token, password grant)',
      [],
      (id) =>
        http
          .post('/v2/token')
          .set('X-Request-Id', id)
          .type('form')
          .send({ grant_type: 'password', username: 'admin', password: ADMIN_PASSWORD, service: SERVICE }),
    ],
    [
      'a wrong password (the failed-login path logs and audits)',
      ['Wr0ng-pw-NEVER-LOGGED'],
      (id) =>
        http
          .post('/v2/token')
          .set('X-Request-Id', id)
          .type('form')
          .send({ grant_type: 'password', username: 'admin', password: 'Wr0ng-pw-NEVER-LOGGED', service: SERVICE }),
    ],
    [
      'an application token as refresh_token',
      [],
      (id) =>
        http
          .post('/v2/token')
          .set('X-Request-Id', id)
          .type('form')
          .send({ grant_type: 'refresh_token', refresh_token: ctx.adminToken, service: SERVICE }),
    ],
    [
      'Authorization: Basic on /v2/token with a Portus-Auth header (the controller door)',
      [],
      (id) =>
        http
          .get(`/v2/token?service=${SERVICE}`)
          .set('X-Request-Id', id)
          .set('Portus-Auth', `admin:${ctx.adminToken}`)
          .set('Authorization', `Basic ${b64(`admin:${ADMIN_PASSWORD}`)}`),
    ],
    [
      'Portus-Auth on the API',
      [],
      (id) => http.get('/api/v1/users').set('X-Request-Id', id).set('Portus-Auth', `admin:${ctx.adminToken}`),
    ],
    [
      'a bad Portus-Auth token',
      ['bad-token-NEVER-LOGGED'],
      (id) => http.get('/api/v1/users').set('X-Request-Id', id).set('Portus-Auth', 'admin:bad-token-NEVER-LOGGED'),
    ],
    [
      'a session cookie and X-CSRF-Token',
      [],
      (id) =>
        http
          .post('/api/v1/teams')
          .set('X-Request-Id', id)
          .set('Cookie', ctx.cookie)
          .set('X-CSRF-Token', ctx.csrf)
          .send({ name: 'logteam' }),
    ],
    [
      'a wrong X-CSRF-Token',
      ['csrf-NEVER-LOGGED'],
      (id) =>
        http
          .post('/api/v1/teams')
          .set('X-Request-Id', id)
          .set('Cookie', ctx.cookie)
          .set('X-CSRF-Token', 'csrf-NEVER-LOGGED')
          .send({ name: 'x' }),
    ],
    [
      'a session login with the password in the body',
      [],
      (id) =>
        http.post('/api/v1/sessions').set('X-Request-Id', id).send({ username: 'admin', password: ADMIN_PASSWORD }),
    ],
    [
      'a new user with a password',
      ['Us3r-pw-NEVER-LOGGED'],
      (id) =>
        http
          .post('/api/v1/users')
          .set('X-Request-Id', id)
          .set('Portus-Auth', `admin:${ctx.adminToken}`)
          .send({ user: { username: 'lena', email: 'lena@example.com', password: 'Us3r-pw-NEVER-LOGGED' } }),
    ],
    [
      'a webhook with a password and a signing secret',
      ['hook-pw-NEVER-LOGGED', 'hook-secret-NEVER-LOGGED'],
      (id) =>
        http
          .post('/api/v1/webhooks')
          .set('X-Request-Id', id)
          .set('Portus-Auth', `admin:${ctx.adminToken}`)
          .send({
            webhook: {
              name: 'ci',
              url: 'https://ci.example.com/hook',
              username: 'ci',
              password: 'hook-pw-NEVER-LOGGED',
              secret: 'hook-secret-NEVER-LOGGED',
            },
          }),
    ],
    [
      'secrets in the query string',
      ['q-pw-NEVER-LOGGED', 'q-token-NEVER-LOGGED', 'q-secret-NEVER-LOGGED'],
      (id) =>
        http
          .get('/api/v1/users?password=q-pw-NEVER-LOGGED&token=q-token-NEVER-LOGGED&Secret=q-secret-NEVER-LOGGED')
          .set('X-Request-Id', id)
          .set('Portus-Auth', `admin:${ctx.adminToken}`),
    ],
    [
      'the registry notification secret',
      [],
      (id) =>
        http
          .post('/v2/webhooks/events')
          .set('X-Request-Id', id)
          .set('Content-Type', 'application/vnd.docker.distribution.events.v1+json')
          .set('Authorization', ctx.notificationAuth)
          .send(JSON.stringify(notification('push-manifest', 'admin/app'))),
    ],
    [
      'a wrong notification secret',
      ['notif-NEVER-LOGGED'],
      (id) =>
        http
          .post('/v2/webhooks/events')
          .set('X-Request-Id', id)
          .set('Content-Type', 'application/vnd.docker.distribution.events.v1+json')
          .set('Authorization', 'Bearer notif-NEVER-LOGGED')
          .send(JSON.stringify(notification('push-manifest', 'admin/app'))),
    ],
    [
      'the metrics token',
      [],
      (id) => http.get('/metrics').set('X-Request-Id', id).set('Authorization', `Bearer ${METRICS_TOKEN}`),
    ],
  ];

  it.each(rows.map((row, i) => [row[0], i, row] as const))('%s', async (_name, i, [, extra, send]) => {
    const id = `logtest-${i}`;
    const res = await send(id);
    expect(res.headers['x-request-id']).toBe(id);
    const quiet = _name === 'the metrics token';
    // Its own access line (probes are quiet), written as the answer finishes; a notification has none, but what
    // the intake logs for it (the push recorded, the refusal) carries its id.
    if (!quiet) await eventually(() => lines.some((l) => l.includes(`"reqId":"${id}"`)), 5000);
    const secrets = [...secretsOf(), ...extra].filter(Boolean);
    for (const line of lines) {
      expect(() => JSON.parse(line)).not.toThrow();
      for (const secret of secrets) {
        expect(line).not.toContain(secret);
        expect(line).not.toContain(b64(`admin:${secret}`));
      }
    }
  });

  it('writes one JSON object per line with level, time, message and the request id', async () => {
    await http.get('/api/v1/_ping').set('X-Request-Id', 'shape-check').expect(200);
    await http
      .get('/api/v1/users/999999')
      .set('X-Request-Id', 'shape-check-2')
      .set('Portus-Auth', `admin:${ctx.adminToken}`);
    const line = await eventually(() => lines.find((l) => l.includes('"reqId":"shape-check-2"')), 5000);
    const entry = JSON.parse(line);
    expect(entry).toMatchObject({
      level: 'info',
      name: 'portcullis-api',
      reqId: 'shape-check-2',
      req: { method: 'GET', url: '/api/v1/users/999999' },
      res: { statusCode: 404 },
    });
    expect(typeof entry.time).toBe('string');
    expect(typeof entry.responseTime).toBe('number');
    // _ping is a probe: answered, not access-logged.
    expect(lines.some((l) => l.includes('"reqId":"shape-check"'))).toBe(false);
  });

  it.each<[string, string | undefined, boolean]>([
    ['a UUID', '0b7c7f0e-8c9a-4b8e-9a55-5d6f3f0f2a11', true],
    ['a trace id with ; and =', 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8', true],
    ['128 characters', 'a'.repeat(128), true],
    ['none sent', undefined, false],
    ['hostile: 129 characters', 'a'.repeat(129), false],
    ['hostile: 10 000 characters', 'x'.repeat(10_000), false],
    ['hostile: a space', 'abc def', false],
    ['hostile: a tab', 'abc\tdef', false],
    ['hostile: JSON', '{"level":"fatal"}', false],
    ['hostile: a leading dot-dot path', '../../etc/passwd', false],
    ['hostile: latin-1 bytes', 'caf\u00e9', false],
    ['hostile: empty', '', false],
  ])('X-Request-Id: %s', async (_name, sent, kept) => {
    const req = http.get('/api/v1/health/live');
    if (sent !== undefined) req.set('X-Request-Id', sent);
    const res = await req.expect(200);
    const echoed = String(res.headers['x-request-id']);
    if (kept) expect(echoed).toBe(sent);
    else expect(echoed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('saneRequestId refuses repeated headers and control characters', () => {
    expect(saneRequestId(['a', 'b'])).toBeNull();
    expect(saneRequestId('abc\u0000def')).toBeNull();
    expect(saneRequestId('abc\r\nX-Evil: 1')).toBeNull();
    expect(saneRequestId('abc\u007f')).toBeNull();
  });

  it.each<[string, string]>([
    ['/v2/token?service=r&scope=repository:a:pull', '/v2/token?service=r&scope=repository:a:pull'],
    ['/x?password=p&user=u', '/x?password=[redacted]&user=u'],
    ['/x?ToKeN=t', '/x?ToKeN=[redacted]'],
    ['/x?refresh_token=t&access_token=a', '/x?refresh_token=[redacted]&access_token=[redacted]'],
    ['/x?pass%77ord=p', '/x?pass%77ord=[redacted]'],
    ['/x?%E0%A4%A=1&secret=s', '/x?%E0%A4%A=1&secret=[redacted]'],
    ['/x?password', '/x?password'],
    ['/plain', '/plain'],
  ])('safeUrl(%s)', (url, expected) => {
    expect(safeUrl(url)).toBe(expected);
  });
});
