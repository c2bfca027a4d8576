import {
  AddTeamMemberRequest,
  CreateNamespaceRequest,
  CreateRegistryRequest,
  CreateTeamRequest,
  CreateUserRequest,
  PageQuery,
} from '../index';

describe('request schemas refuse what the API must never act on', () => {
  const rows: Array<[string, { safeParse(v: unknown): { success: boolean } }, unknown, boolean]> = [
    ['team: plain', CreateTeamRequest, { name: 'qa' }, true],
    ['team: unknown field', CreateTeamRequest, { name: 'qa', hidden: true }, false],
    ['team: blank', CreateTeamRequest, { name: '   ' }, false],
    ['team: 256 chars', CreateTeamRequest, { name: 'x'.repeat(256) }, false],
    ['team: NUL byte', CreateTeamRequest, { name: 'a\u0000b' }, false],
    ['team: number', CreateTeamRequest, { name: 7 }, false],
    ['member: bad role', AddTeamMemberRequest, { user: 'a', role: 'admin' }, false],
    ['member: ok', AddTeamMemberRequest, { user: 'a', role: 'contributor' }, true],
    ['namespace: missing team', CreateNamespaceRequest, { name: 'x' }, false],
    ['user: short password', CreateUserRequest, { user: { username: 'a', email: 'a@b.co', password: 'short' } }, false],
    [
      'user: 129-char password',
      CreateUserRequest,
      { user: { username: 'a', email: 'a@b.co', password: 'p'.repeat(129) } },
      false,
    ],
    [
      'user: bot as string',
      CreateUserRequest,
      { user: { username: 'a', email: 'a@b.co', password: 'password1', bot: 'true' } },
      true,
    ],
    [
      'user: bot as garbage',
      CreateUserRequest,
      { user: { username: 'a', email: 'a@b.co', password: 'password1', bot: 'maybe' } },
      false,
    ],
    ['registry: use_ssl missing', CreateRegistryRequest, { registry: { name: 'r', hostname: 'h' } }, false],
    ['page: zero', PageQuery, { page: '0' }, false],
    ['page: sort injection', PageQuery, { sort_attr: 'id desc;--' }, false],
    ['page: ok', PageQuery, { page: '2', per_page: '10', sort_attr: 'created_at', sort_order: 'desc' }, true],
  ];
  it.each(rows)('%s', (_why, schema, input, ok) => {
    expect(schema.safeParse(input).success).toBe(ok);
  });
});
