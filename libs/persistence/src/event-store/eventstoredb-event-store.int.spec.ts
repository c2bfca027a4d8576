import { describeEventStoreContract } from './event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// EventStoreDB cannot run everywhere the unit tests do, so this suite needs a server to be named,
// e.g. EVENTSTORE_URL='esdb://localhost:2113?tls=false'.
const url = process.env['EVENTSTORE_URL'];

if (url) {
  describeEventStoreContract(
    'EventStoreDB',
    async () => new EventStoreDbEventStore(url),
  );
} else {
  console.warn('EventStoreDB contract suite skipped: EVENTSTORE_URL not set');
  describe.skip('EventStore contract: EventStoreDB (skipped: EVENTSTORE_URL not set)', () => {
    it('needs EVENTSTORE_URL', () => undefined);
  });
}
