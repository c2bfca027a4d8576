import { createServer, connect, type Server, type Socket } from 'node:net';

/** LdapOps counts what clients asked the directory, by LDAP protocol operation. */
export interface LdapOps {
  connections: number;
  bind: number;
  search: number;
  other: number;
  /** bytesFromServer: what the directory sent back (a memberOf list would show here). */
  bytesFromServer: number;
}

// LDAPMessage ::= SEQUENCE { messageID INTEGER, protocolOp CHOICE { bindRequest [APPLICATION 0], … } } (RFC 4511).
const BIND_REQUEST = 0x60;
const SEARCH_REQUEST = 0x63;

/** berLength reads a BER length at `at`: [length, bytes used], or null when the buffer is too short. */
function berLength(buf: Buffer, at: number): [number, number] | null {
  if (at >= buf.length) return null;
  const first = buf[at];
  if (first < 0x80) return [first, 1];
  const n = first & 0x7f;
  if (at + 1 + n > buf.length) return null;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + buf[at + 1 + i];
  return [len, 1 + n];
}

/**
 * LdapProxy is a real TCP proxy on 127.0.0.1 in front of slapd that counts connections and LDAP
 * operations (it parses each LDAPMessage's op tag), so tests can prove what did *not* reach the
 * directory. `down()` stops it (connections refused), which is how tests take "LDAP" away.
 */
export class LdapProxy {
  readonly ops: LdapOps = { connections: 0, bind: 0, search: 0, other: 0, bytesFromServer: 0 };
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  static async start(url: string): Promise<LdapProxy> {
    const u = new URL(url);
    const proxy = new LdapProxy({ host: u.hostname, port: Number(u.port || 389) });
    await proxy.up();
    return proxy;
  }

  get url(): string {
    return `ldap://127.0.0.1:${this.port}/`;
  }

  reset(): void {
    Object.assign(this.ops, { connections: 0, bind: 0, search: 0, other: 0, bytesFromServer: 0 });
  }

  async up(): Promise<void> {
    const server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private relay(client: Socket) {
    this.ops.connections++;
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(client).add(upstream);
    let pending: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = this.count(Buffer.concat([pending, chunk]));
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      this.ops.bytesFromServer += chunk.length;
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  }

  /** count consumes whole LDAPMessages from `buf` and returns the incomplete rest. */
  private count(buf: Buffer): Buffer {
    let at = 0;
    for (;;) {
      if (buf.length - at < 2 || buf[at] !== 0x30) return buf.subarray(at);
      const outer = berLength(buf, at + 1);
      if (!outer || at + 1 + outer[1] + outer[0] > buf.length) return buf.subarray(at);
      const body = at + 1 + outer[1];
      const id = berLength(buf, body + 1); // messageID: tag 0x02, length, value
      if (id) {
        const tag = buf[body + 1 + id[1] + id[0]];
        if (tag === BIND_REQUEST) this.ops.bind++;
        else if (tag === SEARCH_REQUEST) this.ops.search++;
        else this.ops.other++;
      }
      at = body + outer[0];
    }
  }
}
