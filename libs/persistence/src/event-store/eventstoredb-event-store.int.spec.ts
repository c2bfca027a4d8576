import { describeEventStoreContract } from './event-store.contract';
import { NO_STREAM, StoreUnavailableError } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// EventStoreDB cannot run everywhere the unit tests do, so the contract suite needs a server to be
// named, e.g. EVENTSTORE_URL='esdb://localhost:2113?tls=false'.
const url = process.env['EVENTSTORE_URL'];

if (url) {
  describeEventStoreContract('EventStoreDB', async () => new EventStoreDbEventStore(url));
} else {
  console.warn('EventStoreDB contract suite skipped: EVENTSTORE_URL not set');
  describe.skip('EventStore contract: EventStoreDB (skipped: EVENTSTORE_URL not set)', () => {
    it('needs EVENTSTORE_URL', () => undefined);
  });
}

describe('EventStoreDbEventStore when the server cannot be reached', () => {
  // Port 1 refuses connections at once, so no server is needed to see the failure mapping.
  let store: EventStoreDbEventStore;

  beforeEach(() => {
    store = new EventStoreDbEventStore('esdb://127.0.0.1:1?tls=false&discoveryInterval=10&maxDiscoverAttempts=1', {
      pingDeadlineMs: 1000,
    });
  });

  afterEach(() => store.close());

  it('reports every call as StoreUnavailableError', async () => {
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(
      store.append('s', [{ type: 'A', data: {} }], {
        expectedRevision: NO_STREAM,
      }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readStream('s')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('ends a subscription with one StoreUnavailableError', async () => {
    const errors: unknown[] = [];
    const subscription = store.subscribeToAll(
      {},
      {
        onEvent: async () => undefined,
        onError: (error) => errors.push(error),
      },
    );

    const deadline = Date.now() + 5000;
    while (errors.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await subscription.stop();

    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StoreUnavailableError);
  });
});
