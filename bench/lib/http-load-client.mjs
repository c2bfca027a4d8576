// A load client in its own process, so its CPU never counts against the server being measured:
// `node http-load-client.mjs <json>` drives GET <path> on 127.0.0.1:<port> with <concurrency> keep-alive
// connections for <seconds> after <warmup> requests, checks each answer, and prints one JSON line of figures.
import { Agent, request } from 'node:http';

const { port, path, headers, seconds, concurrency, warmup, expectGrants } = JSON.parse(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function once() {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200) return fail(new Error(`status ${res.statusCode}: ${text}`));
        // The answer must be a real token with the expected grants, or the figure would flatter a failure.
        const claims = JSON.parse(Buffer.from(JSON.parse(text).token.split('.')[1], 'base64url').toString());
        if ((claims.access ?? []).length !== expectGrants)
          return fail(new Error(`expected ${expectGrants} grants: ${JSON.stringify(claims)}`));
        done();
      });
    });
    req.on('error', fail);
    req.end();
  });
}

for (let i = 0; i < warmup; i++) await once();
const latencies = [];
const start = performance.now();
const end = start + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      await once();
      latencies.push(performance.now() - t);
    }
  }),
);
const ms = performance.now() - start;
agent.destroy();
latencies.sort((a, b) => a - b);
const at = (q) => +latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(3);
process.stdout.write(
  JSON.stringify({
    tokens_per_s: Math.round((latencies.length * 1000) / ms),
    p50_ms: at(0.5),
    p99_ms: at(0.99),
    tokens: latencies.length,
  }) + '\n',
);
