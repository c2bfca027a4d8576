import type { ActivityEntity } from '@portcullis/contracts';

/** Activity is one row of GET /api/v1/activities (the audit trail, newest first): the API's ActivityEntity. */
export type Activity = ActivityEntity;

/** ACTIVITY_KEYS are the filter choices for "what" (a trailing dot matches every key of that kind). */
export const ACTIVITY_KEYS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'repository.', label: 'Any tag push or delete' },
  { value: 'repository.push', label: 'Tag pushed' },
  { value: 'repository.delete', label: 'Tag deleted' },
  { value: 'namespace.', label: 'Any namespace change' },
  { value: 'team.', label: 'Any team change' },
  { value: 'webhook.', label: 'Any webhook change' },
  { value: 'user.', label: 'Any user change or sign-in' },
  { value: 'user.login_failed', label: 'Failed sign-in' },
  { value: 'application_token.', label: 'Any application token change' },
  { value: 'registry.', label: 'Any registry change' },
];

/** activitySubject names what an activity is about, from its parameters when the API gave them. */
export function activitySubject(a: Activity): string {
  const p = a.parameters ?? {};
  const text = (key: string): string | null => (typeof p[key] === 'string' && p[key] ? (p[key] as string) : null);
  // Membership changes are about a person in a team: name both, and the role it ended with.
  const member = text('team_user');
  if (a.key.startsWith('team.') && member) {
    const role = text('new_role') ?? text('role');
    return `${member} in ${text('team') ?? 'a team'}${role ? ` (${role})` : ''}`;
  }
  // A namespace's own activities carry its owning team as `team`; the subject is the namespace.
  if (a.trackable_type === 'Namespace' && a.namespace?.name) return a.namespace.name;
  for (const key of ['repository_name', 'full_name', 'username', 'team', 'application', 'name', 'namespace_name']) {
    const v = p[key];
    if (typeof v === 'string' && v) {
      const tag = typeof p['tag_name'] === 'string' && key !== 'tag_name' ? `:${p['tag_name']}` : '';
      return `${v}${tag}`;
    }
  }
  return a.namespace?.name ?? `${a.trackable_type} #${a.trackable_id ?? '?'}`;
}

/** activityAction is the key read as words: `repository.push` → "repository push". */
export function activityAction(a: Activity): string {
  return a.key.replace(/[._]/g, ' ');
}
