import { randomUUID } from 'node:crypto';
import { AckPolicy, connect, RetentionPolicy, StorageType } from 'nats';
import type { RecordedEvent } from '../event-store/event-store.port';
import { OwnServer, ownServerMissing } from '../testing/own-server.for-tests';
import { describeBusContract } from './bus.contract';
import type { BusConsumer } from './bus.port';
import { BusUnavailableError, NatsConfigError, NatsJetStreamBus, safeNatsUrl } from './nats-bus';

// The NATS part needs a server with JetStream: `npm test` starts one (tools/nats/start.sh) and sets NATS_URL.
const url = process.env['NATS_URL'];

function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    logger: {
      log: (m: string) => lines.push(`log ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      error: (m: string) => lines.push(`error ${m}`),
    },
  };
}

let position = 0n;
function event(type = 'UserCreated'): RecordedEvent {
  position += 1n;
  return {
    id: randomUUID(),
    streamId: `user-${position}`,
    type,
    revision: 0n,
    position,
    data: { n: Number(position) },
    metadata: {},
    created: new Date().toISOString(),
  };
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

describe('safeNatsUrl', () => {
  it.each([
    ['nats://u:S3cret@a:4222,nats://u:S3cret@b:4222', 'nats://***@a:4222,nats://***@b:4222'],
    ['nats://tok3n@a:4222', 'nats://***@a:4222'],
    ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4222'],
  ])('%s → %s', (input, safe) => {
    expect(safeNatsUrl(input)).toBe(safe);
  });
});

if (url) {
  describeBusContract('NATS JetStream', async () => {
    const stream = `TEST_${randomUUID().replace(/-/g, '')}`;
    const bus = await NatsJetStreamBus.connect({ url, stream, duplicateWindowMs: 60_000 });
    return Object.assign(bus, {
      dispose: async () => {
        const admin = await NatsJetStreamBus.connect({ url, stream });
        await admin.deleteStream();
        await admin.close();
      },
    });
  });

  describe('NatsJetStreamBus stream and consumer set-up at start', () => {
    it('creates the stream at connect, updates changed settings on a second start and logs them', async () => {
      const stream = `TEST_${randomUUID().replace(/-/g, '')}`;
      const first = recordingLogger();
      const a = await NatsJetStreamBus.connect({ url, stream, maxAgeMs: 3_600_000, logger: first.logger });
      const second = recordingLogger();
      const b = await NatsJetStreamBus.connect({ url, stream, maxAgeMs: 7_200_000, logger: second.logger });
      const third = recordingLogger();
      const c = await NatsJetStreamBus.connect({ url, stream, maxAgeMs: 7_200_000, logger: third.logger });
      try {
        expect(first.lines).toEqual([`log NATS stream ${stream} created (subjects ${stream.toLowerCase()}.>)`]);
        expect(second.lines).toEqual([`log NATS stream ${stream} updated: max_age 3600000 ms → 7200000 ms`]);
        expect(third.lines).toEqual([]);
        expect((await c.health()).message).toMatch(new RegExp(`stream ${stream} holds 0 message`));
      } finally {
        await a.deleteStream();
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });

    it('stops with what to do when the existing stream has settings NATS cannot change in place', async () => {
      const stream = `TEST_${randomUUID().replace(/-/g, '')}`;
      const nc = await connect({ servers: url });
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({
        name: stream,
        subjects: [`${stream.toLowerCase()}.>`],
        storage: StorageType.Memory,
        retention: RetentionPolicy.Limits,
      });
      try {
        const error: unknown = await NatsJetStreamBus.connect({ url, stream }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NatsConfigError);
        expect((error as Error).message).toBe(
          `NATS stream ${stream} exists with other settings NATS cannot change in place (storage is memory, ` +
            `Portcullis needs file). Delete it (nats stream rm ${stream}) or set webhooks.nats.stream to a new ` +
            `name: the event store is the history and the publisher republishes from its checkpoint.`,
        );
      } finally {
        await jsm.streams.delete(stream);
        await nc.close();
      }
    });

    it('updates a consumer group ack wait in place and refuses a consumer it cannot reconcile', async () => {
      const stream = `TEST_${randomUUID().replace(/-/g, '')}`;
      const { lines, logger } = recordingLogger();
      const bus = await NatsJetStreamBus.connect({ url, stream, logger });
      try {
        const first = await bus.consume('dispatchers', async () => undefined, { ackWaitMs: 30_000 });
        await first.stop();
        const second = await bus.consume('dispatchers', async () => undefined, { ackWaitMs: 5_000 });
        await second.stop();
        expect(lines).toContain('log NATS consumer dispatchers updated: ack_wait 30000 ms → 5000 ms');

        const nc = await connect({ servers: url });
        const jsm = await nc.jetstreamManager();
        await jsm.consumers.add(stream, {
          durable_name: 'odd',
          ack_policy: AckPolicy.None,
          filter_subject: `${stream.toLowerCase()}.UserCreated`,
        });
        await nc.close();
        const error: unknown = await bus.consume('odd', async () => undefined).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NatsConfigError);
        expect((error as Error).message).toMatch(
          /^NATS consumer odd on stream TEST_\w+ exists with settings that cannot change in place \(ack_policy is none, Portcullis needs explicit; filter_subject is test_\w+\.UserCreated, Portcullis needs test_\w+\.>\)\. Delete it/,
        );
      } finally {
        await bus.deleteStream();
        await bus.close();
      }
    });
  });
} else {
  console.warn('NATS JetStream bus contract suite skipped: NATS_URL not set');
  describe.skip('Bus contract: NATS JetStream (skipped: NATS_URL not set)', () => {
    it('needs NATS_URL', () => undefined);
  });
}

// Killing the run's shared server would break every other suite, so this one starts its own.
const natsMissing = ownServerMissing('nats');
if (natsMissing) console.warn(`NATS kill/restart test skipped: ${natsMissing}`);
(natsMissing ? describe.skip : describe)(
  'NatsJetStreamBus when its nats-server is killed and restarted (own instance)',
  () => {
    let server: OwnServer | undefined;

    beforeAll(async () => {
      server = await OwnServer.start('nats');
    }, 30_000);

    afterAll(async () => {
      await server?.dispose();
    });

    it('reconnects by itself, publishing resumes, and durable consumers lose nothing', async () => {
      if (!server) throw new Error('nats-server did not start');
      const { lines, logger } = recordingLogger();
      const bus = await NatsJetStreamBus.connect({
        url: server.url,
        stream: 'RESTART',
        reconnectTimeWaitMs: 200,
        reconnectJitterMs: 100,
        publishTimeoutMs: 1000,
        logger,
      });
      const live = new Set<string>();
      const parked = new Set<string>();
      let liveConsumer: BusConsumer | null = null;
      let parkedConsumer: BusConsumer | null = null;
      try {
        // "live" runs throughout; "parked" is stopped before the crash, so its messages wait on the server.
        liveConsumer = await bus.consume('live', async ({ event }) => void live.add(event.id), { ackWaitMs: 2000 });
        parkedConsumer = await bus.consume('parked', async ({ event }) => void parked.add(event.id), {
          ackWaitMs: 2000,
        });
        const before = [event(), event(), event()];
        for (const e of before) await bus.publish(e);
        await until('both groups have the first three', () => live.size === 3 && parked.size === 3);
        await parkedConsumer.stop();
        parkedConsumer = null;
        const waiting = [event(), event(), event()];
        for (const e of waiting) await bus.publish(e);
        await until('live has six', () => live.size === 6);

        await server.kill();
        await until('health says reconnecting', async () => (await bus.health()).status === 'reconnecting');
        expect((await bus.health()).message).toMatch(
          new RegExp(
            `^NATS at nats://127\\.0\\.0\\.1:${server.port} unreachable since \\S+; reconnecting \\(attempt \\d+, no limit\\)$`,
          ),
        );
        const whileDown = event();
        const downError: unknown = await bus.publish(whileDown).catch((e: unknown) => e);
        expect(downError).toBeInstanceOf(BusUnavailableError);
        expect((downError as Error).message).toMatch(
          /^publish of UserCreated to RESTART: NATS at nats:\/\/127\.0\.0\.1:\d+ unreachable since/,
        );

        await server.restart();
        await until('health is up again', async () => (await bus.health()).status === 'up');
        // The publisher retries what failed (EventStoreFeed keeps its checkpoint), so the test does too.
        const after = [whileDown, event(), event()];
        for (const e of after) await bus.publish(e);

        const all = [...before, ...waiting, ...after].map((e) => e.id);
        await until('live has every message', () => all.every((id) => live.has(id)));
        parkedConsumer = await bus.consume('parked', async ({ event: e }) => void parked.add(e.id), {
          ackWaitMs: 2000,
        });
        await until('parked has every message', () => all.every((id) => parked.has(id)));
        expect(live.size).toBe(all.length);
        expect(parked.size).toBe(all.length);
        expect(
          lines.some((l) =>
            /^warn NATS connection to nats:\/\/127\.0\.0\.1:\d+ lost; reconnecting without limit/.test(l),
          ),
        ).toBe(true);
        expect(lines.some((l) => /^log NATS reconnected to nats:\/\/127\.0\.0\.1:\d+ after \d+ attempt/.test(l))).toBe(
          true,
        );
      } finally {
        await liveConsumer?.stop();
        await parkedConsumer?.stop();
        await bus.close();
      }
    }, 90_000);
  },
);
