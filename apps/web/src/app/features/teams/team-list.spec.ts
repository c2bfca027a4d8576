import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { find, renderWithHttp } from '../../core/testing';
import { TeamList } from './team-list';

const setup = async () => renderWithHttp(TeamList);

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('TeamList', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows the teams page and says so when there are none', async () => {
    const { fixture, http, el } = await setup();
    http.expectOne((r) => r.url === '/api/v1/teams').flush([], { headers: { 'X-Total': '0' } });
    await fixture.whenStable();
    expect(find(el, '[data-testid="team-list-empty"]').textContent).toContain('not in any team');
  });

  it('creates a team and opens it', async () => {
    const { fixture, http, el } = await setup();
    http
      .expectOne((r) => r.url === '/api/v1/teams')
      .flush([{ id: 1, name: 'ops', description: '', hidden: false }], { headers: { 'X-Total': '1' } });
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="team-row-ops"]')).not.toBeNull();
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    find(el, '[data-testid="team-create"]').click();
    await fixture.whenStable();
    const name = find<HTMLInputElement>(el, '[data-testid="team-name"]');
    name.value = 'qa';
    name.dispatchEvent(new Event('input'));
    find(el, '[data-testid="team-create-form"]').dispatchEvent(new Event('submit'));
    TestBed.tick();
    const post = http.expectOne('/api/v1/teams');
    expect(post.request.body).toEqual({ name: 'qa', description: '' });
    post.flush({ id: 2, name: 'qa', description: '', hidden: false }, { status: 201, statusText: 'Created' });
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith(['/teams', 2]);
  });

  it('explains why a team could not be created', async () => {
    const { fixture, http, el } = await setup();
    http.expectOne((r) => r.url === '/api/v1/teams').flush([]);
    await fixture.whenStable();
    find(el, '[data-testid="team-create"]').click();
    await fixture.whenStable();
    const name = find<HTMLInputElement>(el, '[data-testid="team-name"]');
    name.value = 'qa';
    name.dispatchEvent(new Event('input'));
    find(el, '[data-testid="team-create-form"]').dispatchEvent(new Event('submit'));
    TestBed.tick();
    http
      .expectOne('/api/v1/teams')
      .flush(
        { message: 'Only admins can create teams', code: 'TEAM.CREATE_FORBIDDEN' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();
    expect(find(el, '[data-testid="team-create-error"]').textContent).toContain('Only administrators can create teams');
  });
});
