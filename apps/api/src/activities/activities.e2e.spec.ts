import { expectProblem, startApi, type TestApi } from '../testing/harness';
import { pushForTests } from '../testing/registry-push';
import { EXPORT_LIMIT } from './activities.controller';

type Activity = {
  id: number;
  key: string;
  owner: { id: number | null; username: string } | null;
  namespace: { id: number; name: string | null } | null;
  parameters: Record<string, unknown>;
  created_at: string;
};

/** parseCsv reads RFC 4180 text (quoted fields, doubled quotes, CRLF records) into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  if (field || row.length) throw new Error(`unterminated record: ${JSON.stringify(row)}`);
  return rows;
}

// Several suites share a 2-core machine: set-up through the real HTTP stack can take seconds.
jest.setTimeout(60_000);

describe('GET /api/v1/activities and /activities.csv', () => {
  let api: TestApi;
  let uma: { id: number; auth: string };
  let olaf: { id: number; auth: string };

  const as = async (auth: string, query = '') => {
    const res = await api.http.get(`/api/v1/activities?per_page=100${query}`).set('Portus-Auth', auth).expect(200);
    return res.body as Activity[];
  };
  const summary = (list: Activity[]) =>
    list.map((a) => `${a.key} ${a.namespace?.name ?? a.parameters['team'] ?? a.parameters['username'] ?? ''}`);

  beforeAll(async () => {
    api = await startApi();
    uma = await api.user('uma');
    olaf = await api.user('olaf');
    const team = (auth: string, name: string) =>
      api.http.post('/api/v1/teams').set('Portus-Auth', auth).send({ name }).expect(201);
    const namespace = async (auth: string, name: string, team: string, visibility?: string) => {
      const ns = await api.http.post('/api/v1/namespaces').set('Portus-Auth', auth).send({ name, team }).expect(201);
      if (visibility)
        await api.http
          .put(`/api/v1/namespaces/${ns.body.id}`)
          .set('Portus-Auth', auth)
          .send({ namespace: { visibility } })
          .expect(200);
    };
    await team(olaf.auth, 'olafs');
    await namespace(olaf.auth, 'olaf-private', 'olafs');
    await namespace(olaf.auth, 'olaf-public', 'olafs', 'public');
    await team(uma.auth, 'umas');
    await namespace(uma.auth, 'uma-ns', 'umas');
    await pushForTests(api, 'olaf-private/secret-app', 'v1', 'olaf');
    await pushForTests(api, 'olaf-public/app', 'v1', 'olaf');
    await pushForTests(api, 'uma-ns/app', 'v1', 'uma');
    // A registry user Portcullis does not know, with a name built to run as a spreadsheet formula.
    await pushForTests(api, 'uma-ns/app', 'v2', '=HYPERLINK("http://evil.example","x")');
  });
  afterAll(() => api.close());

  it('answers 401 to anonymous callers, JSON and CSV alike', async () => {
    expectProblem(await api.http.get('/api/v1/activities'), 401);
    expectProblem(await api.http.get('/api/v1/activities.csv'), 401);
  });

  it('shows a user her own activities, her teams’ and public namespaces’, never other teams’ private ones', async () => {
    const seen = summary(await as(uma.auth));
    expect(seen).toEqual(
      expect.arrayContaining([
        'repository.push uma-ns',
        'repository.push olaf-public',
        'namespace.create uma-ns',
        'team.create umas',
        'namespace.change_visibility olaf-public',
      ]),
    );
    for (const hidden of ['repository.push olaf-private', 'namespace.create olaf-private', 'team.create olafs'])
      expect(seen).not.toContain(hidden);
    // Other people's sign-ins and user administration are not hers to see.
    expect(seen.filter((s) => s.startsWith('user.'))).toEqual([]);
  });

  it('shows an admin everything, newest first', async () => {
    const all = await as(api.admin);
    expect(summary(all)).toEqual(
      expect.arrayContaining(['repository.push olaf-private', 'team.create olafs', 'user.create uma']),
    );
    expect(all.map((a) => a.id)).toEqual([...all.map((a) => a.id)].sort((a, b) => b - a));
    const push = all.find((a) => a.key === 'repository.push' && a.namespace?.name === 'olaf-public');
    expect(push).toMatchObject({
      owner: { id: olaf.id, username: 'olaf' },
      trackable_type: 'Repository',
      recipient_type: 'Tag',
      parameters: { repository_name: 'olaf-public/app', tag_name: 'v1' },
    });
  });

  it('filters by owner username, key prefix and namespace, and pages with headers', async () => {
    const byOlaf = await as(api.admin, '&owner=olaf&key=repository.push');
    expect(summary(byOlaf)).toEqual(['repository.push olaf-public', 'repository.push olaf-private']);
    const teamKeys = await as(api.admin, '&key=team.');
    expect(teamKeys.length).toBeGreaterThan(0);
    expect(teamKeys.every((a) => a.key.startsWith('team.'))).toBe(true);
    const nsId = byOlaf[0].namespace?.id;
    expect(summary(await as(api.admin, `&namespace_id=${nsId}&key=repository.`))).toEqual([
      'repository.push olaf-public',
    ]);
    // An owner Portcullis never knew is matched by the recorded name.
    const stranger = await as(api.admin, `&owner=${encodeURIComponent('=HYPERLINK("http://evil.example","x")')}`);
    expect(stranger).toEqual([
      expect.objectContaining({ key: 'repository.push', owner: expect.objectContaining({ id: null }) }),
    ]);
    const page = await api.http.get('/api/v1/activities?per_page=2&page=2').set('Portus-Auth', api.admin).expect(200);
    expect(page.body).toHaveLength(2);
    expect(page.headers['x-page']).toBe('2');
    expect(Number(page.headers['x-total'])).toBeGreaterThan(4);
  });

  it('bounds by time: from inclusive, to exclusive, with offsets normalised to UTC', async () => {
    const all = await as(api.admin);
    const newest = all[0];
    const at = new Date(newest.created_at);
    const plus2 = new Date(at.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    const from = encodeURIComponent(newest.created_at);
    expect((await as(api.admin, `&from=${from}`)).map((a) => a.id)).toContain(newest.id);
    const before = await as(api.admin, `&to=${from}`);
    expect(before.map((a) => a.id)).not.toContain(newest.id);
    // The same instant written with a +02:00 offset bounds the same way.
    expect(await as(api.admin, `&to=${encodeURIComponent(plus2)}`)).toEqual(before);
    expect(await as(api.admin, '&from=2999-01-01')).toEqual([]);
  });

  it.each([
    ['a key with odd characters', 'key=team%3Bdrop'],
    ['a namespace id that is not a number', 'namespace_id=abc'],
    ['a time without a zone', 'from=2030-01-01T00:00:00'],
    ['a time that is no time', 'to=yesterday'],
    ['to before from', 'from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z'],
    ['an unknown filter', 'owner_id=1'],
    ['a per_page above the limit', 'per_page=100000'],
  ])('answers 422 for %s', async (_label, qs) => {
    expectProblem(await api.http.get(`/api/v1/activities?${qs}`).set('Portus-Auth', uma.auth), 422);
    expectProblem(await api.http.get(`/api/v1/activities.csv?${qs}`).set('Portus-Auth', uma.auth), 422);
  });

  it('exports the same visible activities as an RFC 4180 attachment with formula cells neutralised', async () => {
    const res = await api.http.get('/api/v1/activities.csv').set('Portus-Auth', uma.auth).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="activities-\d{8}T\d{6}Z\.csv"$/);
    expect(res.headers['portcullis-export-capped']).toBeUndefined();
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual([
      'id',
      'created_at',
      'owner',
      'key',
      'trackable_type',
      'trackable_id',
      'namespace',
      'parameters',
    ]);
    const json = await as(uma.auth);
    expect(rows.map((r) => Number(r[0]))).toEqual(json.map((a) => a.id));
    expect(res.headers['x-total']).toBe(String(json.length));
    const evil = rows.find((r) => r[2].includes('HYPERLINK'));
    expect(evil?.[2]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    const push = rows.find((r) => r[3] === 'repository.push' && r[6] === 'olaf-public');
    expect(JSON.parse(push?.[7] ?? '{}')).toMatchObject({ repository_name: 'olaf-public/app' });
    expect(rows.some((r) => r[6] === 'olaf-private')).toBe(false);
  });

  it('stops at the row cap and says so in Portcullis-Export-Capped', async () => {
    const json = await api.http.get('/api/v1/activities?per_page=3').set('Portus-Auth', api.admin).expect(200);
    const cap = EXPORT_LIMIT.rows;
    EXPORT_LIMIT.rows = 3;
    try {
      const res = await api.http.get('/api/v1/activities.csv').set('Portus-Auth', api.admin).expect(200);
      expect(res.headers['portcullis-export-capped']).toBe('3');
      expect(res.headers['x-total']).toBe(json.headers['x-total']);
      expect(
        parseCsv(res.text)
          .slice(1)
          .map((r) => Number(r[0])),
      ).toEqual(json.body.map((a: Activity) => a.id));
    } finally {
      EXPORT_LIMIT.rows = cap;
    }
  });

  it('exports with the filters applied', async () => {
    const res = await api.http
      .get('/api/v1/activities.csv?owner=olaf&key=repository.push')
      .set('Portus-Auth', api.admin)
      .expect(200);
    expect(
      parseCsv(res.text)
        .slice(1)
        .map((r) => `${r[2]} ${r[6]}`),
    ).toEqual(['olaf olaf-public', 'olaf olaf-private']);
  });
});
