import { InMemoryReadStoreForTests } from '../testing/in-memory-read-store.for-tests';
import { queriesContract } from '../testing/queries.contract.for-tests';

queriesContract(async () => new InMemoryReadStoreForTests());
