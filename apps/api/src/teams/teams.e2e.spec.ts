import { expectProblem, startApi, type TestApi } from '../testing/harness';

describe('teams API (/api/v1/teams)', () => {
  let api: TestApi;
  let owner: { id: number; auth: string };
  let member: { id: number; auth: string };
  let outsider: { id: number; auth: string };
  let teamId: number;

  beforeAll(async () => {
    api = await startApi();
    owner = await api.user('olga');
    member = await api.user('mike');
    outsider = await api.user('otto');
    const res = await api.http
      .post('/api/v1/teams')
      .set('Portus-Auth', owner.auth)
      .send({ name: 'qa', description: 'Quality' })
      .expect(201);
    teamId = res.body.id;
  });
  afterAll(() => api.close());

  it('creates a team whose creator is its owner; the name is unique (409)', async () => {
    const members = await api.http.get(`/api/v1/teams/${teamId}/members`).set('Portus-Auth', owner.auth).expect(200);
    expect(members.body).toEqual([
      expect.objectContaining({ user_id: owner.id, username: 'olga', role: 'owner', current: true }),
    ]);
    expectProblem(
      await api.http.post('/api/v1/teams').set('Portus-Auth', outsider.auth).send({ name: 'QA' }),
      409,
      /taken/,
    );
    expectProblem(await api.http.post('/api/v1/teams').send({ name: 'x' }), 401);
    expectProblem(await api.http.post('/api/v1/teams').set('Portus-Auth', owner.auth).send({ name: '' }), 422);
    expectProblem(
      await api.http.post('/api/v1/teams').set('Portus-Auth', owner.auth).send({ name: 'y', owner_id: outsider.id }),
      403,
    );
  });

  it('refuses team creation for non-admins when user_permission.create_team is off', async () => {
    const locked = await startApi({ PORTCULLIS_USER_PERMISSION_CREATE_TEAM_ENABLED: 'false' });
    try {
      const u = await locked.user('uma');
      expectProblem(await locked.http.post('/api/v1/teams').set('Portus-Auth', u.auth).send({ name: 'nope' }), 403);
      await locked.http
        .post('/api/v1/teams')
        .set('Portus-Auth', locked.admin)
        .send({ name: 'yes', owner_id: u.id })
        .expect(201);
    } finally {
      await locked.close();
    }
  });

  it('lists only my non-hidden teams; admins see all non-hidden teams', async () => {
    const mine = await api.http.get('/api/v1/teams').set('Portus-Auth', owner.auth).expect(200);
    expect(mine.body.map((t: { name: string }) => t.name)).toEqual(['qa']);
    const theirs = await api.http.get('/api/v1/teams').set('Portus-Auth', outsider.auth).expect(200);
    expect(theirs.body).toEqual([]);
    const all = await api.http.get('/api/v1/teams').set('Portus-Auth', api.admin).expect(200);
    expect(all.body.every((t: { hidden: boolean }) => !t.hidden)).toBe(true);
    expect(all.body.map((t: { name: string }) => t.name)).toContain('qa');
  });

  it('shows a team to members and admins, 403 to others, 404 for unknown or hidden teams', async () => {
    await api.http.get(`/api/v1/teams/${teamId}`).set('Portus-Auth', owner.auth).expect(200);
    await api.http.get(`/api/v1/teams/${teamId}`).set('Portus-Auth', api.admin).expect(200);
    expectProblem(await api.http.get(`/api/v1/teams/${teamId}`).set('Portus-Auth', outsider.auth), 403);
    expectProblem(await api.http.get('/api/v1/teams/9999').set('Portus-Auth', api.admin), 404);
    expectProblem(await api.http.get('/api/v1/teams/abc').set('Portus-Auth', api.admin), 404);
    // team 1 is the hidden global team, 2 the admin's personal team
    expectProblem(await api.http.get('/api/v1/teams/1').set('Portus-Auth', api.admin), 404);
  });

  it('renames and describes (owner), frees the old name, refuses non-owners', async () => {
    const res = await api.http
      .put(`/api/v1/teams/${teamId}`)
      .set('Portus-Auth', owner.auth)
      .send({ team: { name: 'quality', description: 'QA team' } })
      .expect(200);
    expect(res.body).toMatchObject({ name: 'quality', description: 'QA team' });
    await api.http.post('/api/v1/teams').set('Portus-Auth', outsider.auth).send({ name: 'qa' }).expect(201);
    expectProblem(
      await api.http
        .put(`/api/v1/teams/${teamId}`)
        .set('Portus-Auth', outsider.auth)
        .send({ team: { name: 'mine' } }),
      403,
    );
    expectProblem(
      await api.http
        .put(`/api/v1/teams/${teamId}`)
        .set('Portus-Auth', owner.auth)
        .send({ team: { name: 'qa' } }),
      409,
    );
    expectProblem(
      await api.http
        .put(`/api/v1/teams/${teamId}`)
        .set('Portus-Auth', owner.auth)
        .send({ team: { colour: 'red' } }),
      422,
    );
  });

  it('adds members, changes roles, removes them; enforces the only-owner rule', async () => {
    const added = await api.http
      .post(`/api/v1/teams/${teamId}/members`)
      .set('Portus-Auth', owner.auth)
      .send({ user: 'mike', role: 'viewer' })
      .expect(201);
    expect(added.body).toMatchObject({
      user_id: member.id,
      username: 'mike',
      display_name: 'mike',
      role: 'viewer',
      admin: false,
    });
    expectProblem(
      await api.http
        .post(`/api/v1/teams/${teamId}/members`)
        .set('Portus-Auth', owner.auth)
        .send({ user: 'mike', role: 'viewer' }),
      409,
    );
    expectProblem(
      await api.http
        .post(`/api/v1/teams/${teamId}/members`)
        .set('Portus-Auth', owner.auth)
        .send({ user: 'nobody', role: 'viewer' }),
      404,
    );
    expectProblem(
      await api.http
        .post(`/api/v1/teams/${teamId}/members`)
        .set('Portus-Auth', owner.auth)
        .send({ user: 'otto', role: 'king' }),
      422,
    );
    expectProblem(
      await api.http
        .post(`/api/v1/teams/${teamId}/members`)
        .set('Portus-Auth', member.auth)
        .send({ user: 'otto', role: 'viewer' }),
      403,
    );
    // The display name may change; the username stays the member's key.
    await api.http
      .put(`/api/v1/users/${member.id}`)
      .set('Portus-Auth', api.admin)
      .send({ user: { display_name: 'mikey' } })
      .expect(200);
    const promoted = await api.http
      .put(`/api/v1/teams/${teamId}/members/${member.id}`)
      .set('Portus-Auth', owner.auth)
      .send({ role: 'contributor' })
      .expect(200);
    expect(promoted.body).toMatchObject({ role: 'contributor', username: 'mike', display_name: 'mikey' });
    const listed = await api.http.get(`/api/v1/teams/${teamId}/members`).set('Portus-Auth', owner.auth).expect(200);
    expect(listed.body.map((m: { username: string; display_name: string }) => [m.username, m.display_name])).toEqual([
      ['olga', 'olga'],
      ['mike', 'mikey'],
    ]);
    // the only owner can be neither demoted nor removed
    expectProblem(
      await api.http
        .put(`/api/v1/teams/${teamId}/members/${owner.id}`)
        .set('Portus-Auth', owner.auth)
        .send({ role: 'viewer' }),
      422,
      /owner/,
    );
    expectProblem(
      await api.http.delete(`/api/v1/teams/${teamId}/members/${owner.id}`).set('Portus-Auth', owner.auth),
      422,
      /owner/,
    );
    expectProblem(
      await api.http
        .put(`/api/v1/teams/${teamId}/members/9999`)
        .set('Portus-Auth', owner.auth)
        .send({ role: 'viewer' }),
      404,
    );
    await api.http.delete(`/api/v1/teams/${teamId}/members/${member.id}`).set('Portus-Auth', owner.auth).expect(204);
    const members = await api.http.get(`/api/v1/teams/${teamId}/members`).set('Portus-Auth', owner.auth).expect(200);
    expect(members.body.map((m: { user_id: number }) => m.user_id)).toEqual([owner.id]);
  });

  it('makes an admin added to a team an owner who cannot be demoted', async () => {
    const added = await api.http
      .post(`/api/v1/teams/${teamId}/members`)
      .set('Portus-Auth', owner.auth)
      .send({ user: 'admin', role: 'viewer' })
      .expect(201);
    expect(added.body).toMatchObject({ role: 'owner', admin: true });
    expectProblem(
      await api.http.put(`/api/v1/teams/${teamId}/members/1`).set('Portus-Auth', owner.auth).send({ role: 'viewer' }),
      422,
      /admin/,
    );
  });

  it("lists the team's namespaces to members", async () => {
    await api.http
      .post('/api/v1/namespaces')
      .set('Portus-Auth', owner.auth)
      .send({ name: 'qa-tools', team: 'quality' })
      .expect(201);
    const res = await api.http.get(`/api/v1/teams/${teamId}/namespaces`).set('Portus-Auth', owner.auth).expect(200);
    expect(res.body).toEqual([
      expect.objectContaining({
        name: 'qa-tools',
        visibility: 'private',
        team: expect.objectContaining({ id: teamId }),
      }),
    ]);
    expectProblem(await api.http.get(`/api/v1/teams/${teamId}/namespaces`).set('Portus-Auth', outsider.auth), 403);
  });

  it('two concurrent role changes on one member: every answer is 200 or 409, none lost', async () => {
    await api.http
      .post(`/api/v1/teams/${teamId}/members`)
      .set('Portus-Auth', owner.auth)
      .send({ user: 'otto', role: 'viewer' })
      .expect(201);
    const roles = ['contributor', 'owner', 'viewer', 'contributor', 'owner', 'viewer', 'owner', 'contributor'];
    const answers = await Promise.all(
      roles.map((role) =>
        api.http.put(`/api/v1/teams/${teamId}/members/${outsider.id}`).set('Portus-Auth', owner.auth).send({ role }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses).toContain(200);
    const conflicts = answers.filter((a) => a.status === 409);
    for (const c of conflicts) expect(c.body.message).toMatch(/another request/);
    // The final role is the one the last successful change reported, and every success is in the log.
    const members = await api.http.get(`/api/v1/teams/${teamId}/members`).set('Portus-Auth', owner.auth).expect(200);
    const final = members.body.find((m: { user_id: number }) => m.user_id === outsider.id).role;
    expect(answers.filter((a) => a.status === 200).map((a) => a.body.role)).toContain(final);
  });
});
