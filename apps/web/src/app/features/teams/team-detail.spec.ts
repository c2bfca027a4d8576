import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { ActivatedRoute, convertToParamMap, provideRouter } from '@angular/router';
import { of } from 'rxjs';
import { TeamDetail } from './team-detail';
import type { TeamMemberEntity } from '@portcullis/contracts';

function find<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

const member = (
  id: number,
  username: string,
  role: TeamMemberEntity['role'],
  current = false,
  displayName = username,
): TeamMemberEntity => ({
  id,
  team_id: 4,
  user_id: id,
  role,
  username,
  display_name: displayName,
  admin: false,
  current,
});

const team = { id: 4, name: 'qa', description: 'Quality', hidden: false, created_at: '', updated_at: '' };

async function setup(members: TeamMemberEntity[]) {
  TestBed.configureTestingModule({
    imports: [TeamDetail],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      { provide: ActivatedRoute, useValue: { paramMap: of(convertToParamMap({ id: '4' })) } },
    ],
  });
  const fixture = TestBed.createComponent(TeamDetail);
  const http = TestBed.inject(HttpTestingController);
  fixture.detectChanges();
  TestBed.tick();
  http.expectOne('/api/v1/teams/4').flush(team);
  http.expectOne('/api/v1/teams/4/members').flush(members);
  http.expectOne('/api/v1/teams/4/namespaces').flush([
    {
      id: 9,
      name: 'qa-images',
      visibility: 'private',
      team: { id: 4, name: 'qa', hidden: false },
      description: '',
      global: false,
      created_at: '',
      updated_at: '',
    },
  ]);
  await fixture.whenStable();
  return { fixture, http, el: fixture.nativeElement as HTMLElement };
}

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('TeamDetail', () => {
  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = ''));
  });

  it('lists members with their roles and the team namespaces', async () => {
    const { el } = await setup([
      member(1, 'alice', 'owner', true),
      member(2, 'bob', 'viewer'),
      // Two people may share a display name: their rows stay apart, keyed by username.
      member(5, 'sam1', 'viewer', false, 'Sam'),
      member(6, 'sam2', 'contributor', false, 'Sam'),
    ]);
    expect(find(el, '[data-testid="member-row-alice"]').textContent).toContain('(you)');
    expect(find(el, '[data-testid="member-role-bob"]').textContent).toContain('Viewer');
    expect(find(el, '[data-testid="member-role-sam1"]').textContent).toContain('Viewer');
    expect(find(el, '[data-testid="member-role-sam2"]').textContent).toContain('Contributor');
    expect(find(el, '[data-testid="member-row-sam2"]').textContent).toContain('Sam');
    expect(find(el, '[data-testid="team-namespace-qa-images"]').textContent).toContain('private');
  });

  it('suggests users while typing and adds the chosen one with the role picked, then re-fetches', async () => {
    const { fixture, http, el } = await setup([member(1, 'alice', 'owner', true)]);
    const input = find<HTMLInputElement>(el, '[data-testid="member-typeahead"]');
    input.focus();
    type(input, 'ca');
    TestBed.tick();
    const lookup = http.expectOne((r) => r.url === '/api/v1/users/lookup');
    expect(lookup.request.params.get('q')).toBe('ca');
    lookup.flush([{ id: 3, username: 'carol', display_name: 'Carol C' }]);
    await fixture.whenStable();
    find(document, '[data-testid="member-option-carol"]').click();
    TestBed.tick();
    expect(input.value).toBe('carol');
    // Choosing fills the field, which looks the full name up once more.
    http.match((r) => r.url === '/api/v1/users/lookup').forEach((r) => r.flush([]));
    await fixture.whenStable();
    find(el, 'form[data-testid="member-add-form"]').dispatchEvent(new Event('submit'));
    TestBed.tick();
    const add = http.expectOne('/api/v1/teams/4/members');
    expect(add.request.body).toEqual({ user: 'carol', role: 'viewer' });
    add.flush(member(3, 'carol', 'viewer', false, 'Carol C'), { status: 201, statusText: 'Created' });
    TestBed.tick();
    http
      .expectOne('/api/v1/teams/4/members')
      .flush([member(1, 'alice', 'owner', true), member(3, 'carol', 'viewer', false, 'Carol C')]);
    await fixture.whenStable();
    // Rows are keyed by username; the display name is shown, with the username beside it when they differ.
    const row = find(el, '[data-testid="member-row-carol"]');
    expect(row.textContent).toContain('Carol C');
    expect(row.textContent).toContain('carol');
    expect(find(el, '[data-testid="member-role-carol"]').textContent).toContain('Viewer');
    expect(find(el, '[data-testid="team-notice"]').textContent).toContain('carol joined as viewer');
  });

  it('explains the only-owner rule in plain words when the API refuses a demotion', async () => {
    const { fixture, http, el } = await setup([member(1, 'alice', 'owner', true)]);
    find(el, '[data-testid="member-role-alice"] .mat-mdc-select-trigger').click();
    await fixture.whenStable();
    const viewer = [...document.querySelectorAll<HTMLElement>('mat-option')].find((o) =>
      o.textContent?.includes('Viewer'),
    );
    if (!viewer) throw new Error('no Viewer option');
    viewer.click();
    TestBed.tick();
    const put = http.expectOne('/api/v1/teams/4/members/1');
    expect(put.request.body).toEqual({ role: 'viewer' });
    put.flush(
      { message: 'Cannot demote the only owner', code: 'TEAM.ONLY_OWNER' },
      { status: 409, statusText: 'Conflict' },
    );
    TestBed.tick();
    http.expectOne('/api/v1/teams/4/members').flush([member(1, 'alice', 'owner', true)]);
    await fixture.whenStable();
    expect(find(el, '[data-testid="team-failure"]').textContent).toContain('A team always needs at least one owner');
    expect(find(el, '[data-testid="member-role-alice"]').textContent).toContain('Owner');
  });

  it('removes a member only after confirmation', async () => {
    const { fixture, http, el } = await setup([member(1, 'alice', 'owner', true), member(2, 'bob', 'viewer')]);
    find(el, '[data-testid="member-remove-bob"]').click();
    await fixture.whenStable();
    expect(find(document, '[data-testid="confirm-dialog"]').textContent).toContain('bob loses access');
    find(document, '[data-testid="confirm-ok"]').click();
    await fixture.whenStable();
    const del = http.expectOne('/api/v1/teams/4/members/2');
    expect(del.request.method).toBe('DELETE');
    del.flush(null, { status: 204, statusText: 'No Content' });
    TestBed.tick();
    http.expectOne('/api/v1/teams/4/members').flush([member(1, 'alice', 'owner', true)]);
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="member-row-bob"]')).toBeNull();
  });
});
