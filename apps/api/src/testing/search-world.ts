import type { TestApi } from './harness';
import { pushForTests } from './registry-push';

/** SearchWorldForTests is who and what the search and explore suites look for. */
export interface SearchWorldForTests {
  uma: { id: number; auth: string };
  olaf: { id: number; auth: string };
}

/**
 * searchWorldForTests: olaf's team `olafs` owns olaf-private, olaf-public and olaf-protected, each with an
 * `app` repository (the private one `app-secret`); uma's team `umas` owns uma-ns with `app`.
 */
export async function searchWorldForTests(api: TestApi): Promise<SearchWorldForTests> {
  const uma = await api.user('uma');
  const olaf = await api.user('olaf');
  const namespace = async (auth: string, name: string, team: string, visibility?: string) => {
    const ns = await api.http.post('/api/v1/namespaces').set('Portus-Auth', auth).send({ name, team }).expect(201);
    if (visibility)
      await api.http
        .put(`/api/v1/namespaces/${ns.body.id}`)
        .set('Portus-Auth', auth)
        .send({ namespace: { visibility } })
        .expect(200);
  };
  await api.http
    .post('/api/v1/teams')
    .set('Portus-Auth', olaf.auth)
    .send({ name: 'olafs', description: 'olaf and friends' })
    .expect(201);
  await api.http.post('/api/v1/teams').set('Portus-Auth', uma.auth).send({ name: 'umas' }).expect(201);
  await namespace(olaf.auth, 'olaf-private', 'olafs');
  await namespace(olaf.auth, 'olaf-public', 'olafs', 'public');
  await namespace(olaf.auth, 'olaf-protected', 'olafs', 'protected');
  await namespace(uma.auth, 'uma-ns', 'umas');
  await pushForTests(api, 'olaf-private/app-secret', 'v1', 'olaf');
  await pushForTests(api, 'olaf-public/app', 'v1', 'olaf');
  await pushForTests(api, 'olaf-protected/app', 'v1', 'olaf');
  await pushForTests(api, 'uma-ns/app', 'v1', 'uma');
  return { uma, olaf };
}
