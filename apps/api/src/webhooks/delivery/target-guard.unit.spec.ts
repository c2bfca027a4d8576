import { createServer, type Server } from 'node:http';
import { sendWebhook } from './http-sender';
import { BlockedTargetError, TargetGuard, isBlockedAddress, type Resolver } from './target-guard';

// Hostile DNS: names that resolve to private, loopback or metadata addresses (or to a mix with a public one).
const dns: Record<string, string[]> = {
  'public.example': ['93.184.216.34'],
  'internal.example': ['10.1.2.3'],
  'metadata.example': ['169.254.169.254'],
  'mixed.example': ['93.184.216.34', '192.168.1.10'],
  'v6-loopback.example': ['::1'],
  'mapped.example': ['::ffff:127.0.0.1'],
  'receiver.test': ['127.0.0.1'],
};
const resolver: Resolver = async (host) => {
  const a = dns[host];
  if (!a) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('TargetGuard with nothing allow-listed', () => {
  const guard = new TargetGuard([], resolver);
  it.each([
    ['http://127.0.0.1/'],
    ['http://127.1/'], // short form
    ['http://2130706433/'], // decimal 127.0.0.1
    ['http://0177.0.0.1/'], // octal
    ['http://0x7f.0.0.1/'], // hex
    ['http://0x7f000001/'], // hex, one number
    ['http://0.0.0.0/'],
    ['http://[::1]/'],
    ['http://[::]/'],
    ['http://[::ffff:127.0.0.1]/'], // IPv4-mapped IPv6
    ['http://[::ffff:a9fe:a9fe]/'], // mapped metadata address
    ['http://[64:ff9b::a9fe:a9fe]/'], // NAT64 of 169.254.169.254
    ['http://[2002:a9fe:a9fe::1]/'], // 6to4 of 169.254.169.254
    ['http://169.254.169.254/latest/meta-data/'], // AWS/GCP/Azure metadata
    ['http://100.100.100.200/'], // Alibaba metadata (CGNAT range)
    ['http://10.0.0.1/'],
    ['http://172.16.5.4/'],
    ['http://192.168.0.1/'],
    ['http://[fd00:ec2::254]/'], // AWS IPv6 metadata (ULA)
    ['http://[fe80::1]/'],
    ['http://localhost/'], // a name resolving to loopback (real DNS)
    ['http://internal.example/'],
    ['http://metadata.example/'],
    ['http://mixed.example/'], // one private answer is enough to refuse
    ['http://v6-loopback.example/'],
    ['http://mapped.example/'],
  ])('refuses %s', async (url) => {
    const g = url.includes('localhost') ? new TargetGuard([]) : guard;
    await expect(g.check(url)).rejects.toBeInstanceOf(BlockedTargetError);
  });

  it.each([['http://public.example/hook'], ['https://93.184.216.34/']])('accepts %s', async (url) => {
    await expect(guard.check(url)).resolves.toMatchObject({ address: '93.184.216.34' });
  });

  it('refuses other schemes and credentials in the URL', async () => {
    await expect(guard.check('file:///etc/passwd')).rejects.toBeInstanceOf(BlockedTargetError);
    await expect(guard.check('http://u:p@public.example/')).rejects.toBeInstanceOf(BlockedTargetError);
  });

  it('reports an unknown name as a retryable failure, not as refused', async () => {
    const e = await guard.check('http://nowhere.example/').catch((x: Error) => x);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(BlockedTargetError);
  });
});

describe('TargetGuard allow-list (webhooks.allowed_hosts)', () => {
  it('allows listed IPs and CIDRs on the resolved address, and names on the host', async () => {
    const guard = new TargetGuard(['127.0.0.1', '10.1.0.0/16', 'metadata.example'], resolver);
    await expect(guard.check('http://127.0.0.1:8080/')).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(guard.check('http://receiver.test/')).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(guard.check('http://internal.example/')).resolves.toMatchObject({ address: '10.1.2.3' });
    await expect(guard.check('http://metadata.example/')).resolves.toBeDefined();
    await expect(guard.check('http://[::1]/')).rejects.toBeInstanceOf(BlockedTargetError);
    await expect(guard.check('http://10.2.0.1/')).rejects.toBeInstanceOf(BlockedTargetError);
  });
});

describe('isBlockedAddress', () => {
  it.each([
    ['8.8.8.8', false],
    ['2606:4700::1111', false],
    ['::ffff:8.8.8.8', false],
    ['127.0.0.53', true],
    ['not-an-ip', true],
  ])('%s → %s', (ip, blocked) => expect(isBlockedAddress(ip)).toBe(blocked));
});

describe('sendWebhook through the guard', () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/to-metadata') return res.writeHead(302, { location: 'http://169.254.169.254/latest/' }).end();
      if (req.url === '/to-v6-loopback') return res.writeHead(307, { location: `http://[::1]:${port}/ok` }).end();
      if (req.url === '/to-private-name') return res.writeHead(301, { location: 'http://internal.example/' }).end();
      if (req.url === '/to-ok') return res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/big') return res.writeHead(200).end('x'.repeat(100_000));
      res.writeHead(200).end('fine');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // The test's receiver on 127.0.0.1 is reachable only because the test allow-lists it explicitly.
  const guard = new TargetGuard(['127.0.0.1'], resolver);
  const send = (path: string, g = guard) =>
    sendWebhook({ method: 'POST', url: `http://127.0.0.1:${port}${path}`, headers: {}, body: '{}' }, g, {
      timeoutMs: 2000,
      responseMaxBytes: 1024,
    });

  it('refuses the receiver itself when 127.0.0.1 is not allow-listed, without connecting', async () => {
    const before = hits;
    const r = await send('/ok', new TargetGuard([], resolver));
    expect(r).toMatchObject({ status: 0, retryable: false, error: expect.stringMatching(/SSRF guard/) });
    expect(hits).toBe(before);
  });

  it.each([['/to-metadata'], ['/to-v6-loopback'], ['/to-private-name']])(
    're-checks the target of redirect %s and refuses it',
    async (path) => {
      const r = await send(path);
      expect(r).toMatchObject({ status: 0, retryable: false, error: expect.stringMatching(/SSRF guard/) });
    },
  );

  it('follows an allowed redirect', async () => {
    await expect(send('/to-ok')).resolves.toMatchObject({ status: 200, response: { body: 'fine' } });
  });

  it('caps the response body it reads', async () => {
    const r = await send('/big');
    expect(r.status).toBe(200);
    expect(r.response?.body.length).toBe(1024);
    expect(r.response?.truncated).toBe(true);
  });
});
