import { randomUUID } from 'node:crypto';
import { describeBusContract } from './bus.contract';
import { NatsJetStreamBus } from './nats-bus';

// The NATS part needs a server with JetStream: `npm test` starts one (tools/nats/start.sh) and sets NATS_URL.
const url = process.env['NATS_URL'];

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
} else {
  console.warn('NATS JetStream bus contract suite skipped: NATS_URL not set');
  describe.skip('Bus contract: NATS JetStream (skipped: NATS_URL not set)', () => {
    it('needs NATS_URL', () => undefined);
  });
}
