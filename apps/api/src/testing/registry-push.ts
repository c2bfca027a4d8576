import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApi } from './harness';
import { NotificationSecrets } from '../registry-events/notification-secrets';

// The recorded distribution 2.8 push notification (libs/contracts/src/registry/fixtures).
const fixture = join(__dirname, '../../../../libs/contracts/src/registry/fixtures/notification-push-manifest.json');

let sequence = 0;

/**
 * pushForTests sends the registry's own push notification for `repository:tag` by `actor`, as the
 * registry does after a `docker push`, and waits until the repository is listed. Returns its id.
 */
export async function pushForTests(api: TestApi, repository: string, tag = 'v1', actor = 'admin'): Promise<number> {
  const raw = JSON.parse(readFileSync(fixture, 'utf8'));
  const envelope = structuredClone((Array.isArray(raw) ? raw[0] : raw).body);
  const event = envelope.events[0];
  event.id = `push-for-tests-${process.pid}-${++sequence}`;
  event.target.repository = repository;
  event.target.tag = tag;
  event.actor = { name: actor };
  const [registry] = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin).expect(200)).body;
  await api.http
    .post('/v2/webhooks/events')
    .set('Content-Type', 'application/vnd.docker.distribution.events.v1+json')
    .set('Authorization', api.app.get(NotificationSecrets).authorizationFor(registry.id))
    .send(JSON.stringify(envelope))
    .expect(202);
  for (let i = 0; i < 200; i++) {
    const list = await api.http
      .get(`/api/v1/repositories?all=true&search=${encodeURIComponent(repository)}`)
      .set('Portus-Auth', api.admin);
    const found = (list.body as Array<{ id: number; full_name: string }>).find((r) => r.full_name === repository);
    if (found) return found.id;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${repository} never appeared`);
}
