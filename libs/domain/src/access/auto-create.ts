import type { TeamRole } from '../team/team.events';

/** ExistingTeam is what the caller knows of the team named after the namespace, if there is one. */
export interface ExistingTeam {
  readonly hidden: boolean;
  /** actorRole is the pushing user's role in that team (null: not a member). */
  readonly actorRole: TeamRole | null;
}

/** AutoCreatePlan says which team a namespace created on push goes to, or why it is not created. */
export type AutoCreatePlan =
  | { readonly kind: 'create-team'; readonly team: string }
  | { readonly kind: 'use-team'; readonly team: string }
  | { readonly kind: 'refuse'; readonly reason: string };

/**
 * planAutoCreate (namespace.auto_create_on_push, ADR 0008): a namespace created on push belongs to a team
 * named after it. When there is no such team it is created with the pusher as owner; when there is one the
 * pusher owns, it is used; otherwise nothing is created. Why not the pusher's personal team: it is hidden,
 * and a team namespace never belongs to a hidden team (CreateNamespace refuses it). Why not "the user's
 * only team": membership changes would silently change where the next push lands. A team of its own keeps
 * the namespace's ownership explicit and lets the owner add members afterwards, as Portus does.
 */
export function planAutoCreate(namespace: string, team: ExistingTeam | null): AutoCreatePlan {
  if (team === null) return { kind: 'create-team', team: namespace };
  if (!team.hidden && team.actorRole === 'owner') return { kind: 'use-team', team: namespace };
  return { kind: 'refuse', reason: `a team named '${namespace}' exists and the pusher does not own it` };
}
