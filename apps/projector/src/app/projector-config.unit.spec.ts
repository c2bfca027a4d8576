import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectorConfigFrom } from './projector-config';

describe('projectorConfigFrom', () => {
  // A data dir without config.yml, so a developer's ./data/config.yml cannot leak into the defaults.
  const empty = () => mkdtempSync(join(tmpdir(), 'projector-config-'));

  it("defaults to embedded stores in the data dir, with the adapters' production settings", () => {
    const dir = empty();
    expect(projectorConfigFrom({ PORTCULLIS_DATA_DIR: dir })).toMatchObject({
      dataDir: resolve(dir),
      eventStoreUrl: undefined,
      mongodbUrl: undefined,
      natsUrl: undefined,
      natsStream: 'PORTCULLIS_EVENTS',
      stores: { mongodb: { writeConcern: 'majority', readConcern: 'majority' } },
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
    ).toMatchObject({
      dataDir: '/var/lib/portcullis',
      eventStoreUrl: 'esdb://localhost:2113?tls=false',
      mongodbUrl: undefined,
      natsUrl: 'nats://127.0.0.1:4222',
      natsStream: 'PORTCULLIS_EVENTS',
    });
  });

  it('reads the adapter settings the api reads (the projector is the writer of the read models)', () => {
    const config = projectorConfigFrom({
      PORTCULLIS_DATA_DIR: empty(),
      PORTCULLIS_MONGODB_WRITE_CONCERN: '1',
      PORTCULLIS_MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1500',
      PORTCULLIS_EVENTSTORE_APPEND_DEADLINE_MS: '2500',
      PORTCULLIS_NATS_RECONNECT_WAIT_MS: '700',
    });
    expect(config.stores.mongodb).toMatchObject({ writeConcern: 1, serverSelectionTimeoutMs: 1500 });
    expect(config.stores.eventStore).toMatchObject({ appendDeadlineMs: 2500 });
    expect(config.stores.nats).toMatchObject({ reconnectWaitMs: 700 });
  });

  it('reads <data_dir>/config.yml as the api does: a MongoDB URL set there is used by the projector too', () => {
    const dir = empty();
    writeFileSync(
      join(dir, 'config.yml'),
      'mongodb_url: mongodb://db.internal:27017/portcullis\nprojector:\n  lease_ms: 3000\n',
    );
    expect(projectorConfigFrom({ PORTCULLIS_DATA_DIR: dir })).toMatchObject({
      mongodbUrl: 'mongodb://db.internal:27017/portcullis',
      leaseMs: 3_000,
    });
  });

  it('reads the lease times', () => {
    expect(
      projectorConfigFrom({
        PORTCULLIS_DATA_DIR: empty(),
        PORTCULLIS_PROJECTOR_LEASE_MS: '2000',
        PORTCULLIS_PROJECTOR_LEASE_RENEW_MS: '300',
      }),
    ).toMatchObject({ leaseMs: 2_000, leaseRenewMs: 300 });
  });

  it.each([
    [{ PORTCULLIS_PROJECTOR_LEASE_MS: 'soon' }, /PORTCULLIS_PROJECTOR_LEASE_MS\) must be an integer/],
    [{ PORTCULLIS_PROJECTOR_LEASE_MS: '-5' }, /PORTCULLIS_PROJECTOR_LEASE_MS\) must be between 200 and 300000/],
    [{ PORTCULLIS_PROJECTOR_LEASE_MS: '10' }, /between 200 and 300000/],
    [{ PORTCULLIS_PROJECTOR_LEASE_RENEW_MS: '1e3' }, /PORTCULLIS_PROJECTOR_LEASE_RENEW_MS\) must be an integer/],
    [
      { PORTCULLIS_PROJECTOR_LEASE_RENEW_MS: '3000' },
      /must be at most half of projector.lease_ms \(PORTCULLIS_PROJECTOR_LEASE_MS/,
    ],
    [{ PORTCULLIS_MONGODB_WRITE_CONCERN: 'most' }, /mongodb.write_concern/],
  ])('refuses %p with a message naming the variable', (env, message) => {
    expect(() => projectorConfigFrom({ PORTCULLIS_DATA_DIR: empty(), ...env })).toThrow(message);
  });
});
