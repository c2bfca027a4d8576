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
      leaseMs: 5_000,
      leaseRenewMs: 1_000,
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
      leaseMs: 5_000,
      leaseRenewMs: 1_000,
    });
  });

  it('reads the lease times', () => {
    expect(
      projectorConfigFrom({ PORTCULLIS_PROJECTOR_LEASE_MS: '2000', PORTCULLIS_PROJECTOR_LEASE_RENEW_MS: '300' }),
    ).toMatchObject({ leaseMs: 2_000, leaseRenewMs: 300 });
  });

  it.each([
    [{ PORTCULLIS_PROJECTOR_LEASE_MS: 'soon' }, /LEASE_MS must be an integer/],
    [{ PORTCULLIS_PROJECTOR_LEASE_MS: '-5' }, /LEASE_MS must be an integer/],
    [{ PORTCULLIS_PROJECTOR_LEASE_MS: '10' }, /between 200 and 300000/],
    [{ PORTCULLIS_PROJECTOR_LEASE_RENEW_MS: '1e3' }, /RENEW_MS must be an integer/],
    [{ PORTCULLIS_PROJECTOR_LEASE_RENEW_MS: '3000' }, /at most half of PORTCULLIS_PROJECTOR_LEASE_MS/],
  ])('refuses %p with a message naming the variable', (env, message) => {
    expect(() => projectorConfigFrom(env)).toThrow(message);
  });
});
