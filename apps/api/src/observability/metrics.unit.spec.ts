import { metricsRefusal, routeOf } from './metrics-http';
import type { Request } from 'express';

describe('metricsRefusal (who may read /metrics)', () => {
  const TOKEN = 'scrape-secret-1';
  it.each<[string, string | null, string | undefined, Record<string, string>, number | null]>([
    ['loopback v4, no token configured', null, '127.0.0.1', {}, null],
    ['loopback v6', null, '::1', {}, null],
    ['IPv4-mapped loopback', null, '::ffff:127.0.0.1', {}, null],
    ['another 127/8 address', null, '127.0.0.53', {}, null],
    ['a LAN client', null, '10.0.0.7', {}, 403],
    ['a public client', null, '203.0.113.9', {}, 403],
    ['IPv4-mapped public', null, '::ffff:203.0.113.9', {}, 403],
    ['no socket address', null, undefined, {}, 403],
    [
      'hostile: loopback through a local proxy (X-Forwarded-For)',
      null,
      '127.0.0.1',
      { 'x-forwarded-for': '203.0.113.9' },
      403,
    ],
    ['hostile: loopback through a proxy (Forwarded)', null, '127.0.0.1', { forwarded: 'for=203.0.113.9' }, 403],
    ['hostile: loopback through a proxy (X-Real-IP)', null, '127.0.0.1', { 'x-real-ip': '203.0.113.9' }, 403],
    ['hostile: lookalike address', null, '1127.0.0.1', {}, 403],
    ['token: right bearer from anywhere', TOKEN, '203.0.113.9', { authorization: `Bearer ${TOKEN}` }, null],
    [
      'token: right bearer through a proxy',
      TOKEN,
      '127.0.0.1',
      { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '1.2.3.4' },
      null,
    ],
    ['token: missing, even from loopback', TOKEN, '127.0.0.1', {}, 401],
    ['token: wrong', TOKEN, '127.0.0.1', { authorization: 'Bearer nope' }, 401],
    ['token: prefix of the right one', TOKEN, '127.0.0.1', { authorization: 'Bearer scrape-secret' }, 401],
    ['token: right one plus more', TOKEN, '127.0.0.1', { authorization: `Bearer ${TOKEN}x` }, 401],
    ['token: Basic scheme', TOKEN, '127.0.0.1', { authorization: `Basic ${TOKEN}` }, 401],
    ['token: lower-case scheme', TOKEN, '127.0.0.1', { authorization: `bearer ${TOKEN}` }, 401],
  ])('%s', (_name, token, address, headers, status) => {
    expect(metricsRefusal(token, address, headers)?.status ?? null).toBe(status);
  });
});

describe('routeOf (the route label stays bounded)', () => {
  const req = (originalUrl: string, route?: string) =>
    ({ originalUrl, baseUrl: '', route: route === undefined ? undefined : { path: route } }) as unknown as Request;
  it.each<[string, string | undefined, number, string]>([
    ['/api/v1/users/42', '/api/v1/users/:id', 200, '/api/v1/users/:id'],
    ['/v2/token?service=x&scope=repository:a:pull', undefined, 200, '/v2/token'],
    ['/metrics', undefined, 200, '/metrics'],
    ['/api/v1/no-such-thing/123', undefined, 404, 'unmatched'],
    ['/random/path/with/ids/123', undefined, 401, 'other'],
  ])('%s', (url, route, status, expected) => {
    expect(routeOf(req(url, route), status)).toBe(expected);
  });
});
