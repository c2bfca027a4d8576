import { resolve } from 'node:path';
import { projectorConfigFrom } from './projector-config';

describe('projectorConfigFrom', () => {
  it('defaults to embedded stores in ./data', () => {
    expect(projectorConfigFrom({})).toEqual({
      dataDir: resolve('./data'),
      eventStoreUrl: undefined,
      mongodbUrl: undefined,
      natsUrl: undefined,
      natsStream: 'PORTCULLIS_EVENTS',
    });
  });

  it('reads the Portcullis variables and treats blank ones as absent', () => {
    expect(
      projectorConfigFrom({
        PORTCULLIS_DATA_DIR: '/var/lib/portcullis',
        PORTCULLIS_EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
        PORTCULLIS_MONGODB_URL: '  ',
        PORTCULLIS_NATS_URL: 'nats://127.0.0.1:4222',
      }),
    ).toEqual({
      dataDir: '/var/lib/portcullis',
      eventStoreUrl: 'esdb://localhost:2113?tls=false',
      mongodbUrl: undefined,
      natsUrl: 'nats://127.0.0.1:4222',
      natsStream: 'PORTCULLIS_EVENTS',
    });
  });
});
