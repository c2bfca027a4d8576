#!/usr/bin/env node
// healthcheck.mjs: the images' HEALTHCHECK (plain Node, no dependencies).
//   api   GET http://127.0.0.1:$PORTCULLIS_PORT/api/v1/health must answer 200 (every component up).
//   deps  processes without HTTP (projector, dispatcher): every configured store and the bus
//         (PORTCULLIS_EVENTSTORE_URL, PORTCULLIS_MONGODB_URL, PORTCULLIS_NATS_URL) accepts a TCP connection.
// Exit 0 healthy, 1 unhealthy (one line on stderr says why), 2 usage.
import { request } from 'node:http';
import { connect } from 'node:net';

const TIMEOUT_MS = Number(process.env.HEALTHCHECK_TIMEOUT_MS ?? 3000);
const DEFAULT_PORTS = { 'esdb:': 2113, 'esdb+discover:': 2113, 'mongodb:': 27017, 'nats:': 4222 };

/** apiHealthy resolves to null when /api/v1/health answers 200, else to the reason. */
function apiHealthy(port) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/health', timeout: TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 ? null : `health answered ${res.statusCode}: ${body}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (e) => resolve(`health request failed: ${e.message}`));
    req.end();
  });
}

/** endpoints lists host:port pairs of a connection string (mongodb:// may name several hosts). */
export function endpoints(url) {
  const m = /^([a-z+]+:)\/\/(?:[^@/]*@)?([^/?#]+)/i.exec(url);
  if (!m) throw new Error(`not a connection URL: ${url.replace(/\/\/[^@/]*@/, '//[redacted]@')}`);
  const port = DEFAULT_PORTS[m[1].toLowerCase()] ?? 0;
  return m[2].split(',').map((hp) => {
    const i = hp.lastIndexOf(':');
    return i > 0 && !hp.endsWith(']') ? { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) } : { host: hp, port };
  });
}

/** reachable resolves to null when host:port accepts a TCP connection, else to the reason. */
function reachable({ host, port }) {
  return new Promise((resolve) => {
    const s = connect({ host: host.replace(/^\[|\]$/g, ''), port, timeout: TIMEOUT_MS });
    s.once('connect', () => {
      s.destroy();
      resolve(null);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(`${host}:${port} did not accept a connection within ${TIMEOUT_MS} ms`);
    });
    s.once('error', (e) => resolve(`${host}:${port}: ${e.code ?? e.message}`));
  });
}

async function main(mode) {
  if (mode === 'api') return apiHealthy(Number(process.env.PORTCULLIS_PORT ?? 3000));
  if (mode === 'deps') {
    const urls = ['PORTCULLIS_EVENTSTORE_URL', 'PORTCULLIS_MONGODB_URL', 'PORTCULLIS_NATS_URL']
      .map((k) => process.env[k]?.trim())
      .filter(Boolean);
    const reasons = await Promise.all(urls.flatMap(endpoints).map(reachable));
    return reasons.find((r) => r !== null) ?? null;
  }
  process.stderr.write('usage: healthcheck.mjs api|deps\n');
  process.exit(2);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv[2]).then(
    (reason) => {
      if (reason) process.stderr.write(`unhealthy: ${reason}\n`);
      process.exit(reason ? 1 : 0);
    },
    (e) => {
      process.stderr.write(`unhealthy: ${e.message}\n`);
      process.exit(1);
    },
  );
}
