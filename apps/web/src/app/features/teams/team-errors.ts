import { HttpErrorResponse } from '@angular/common/http';
import { problemMessage } from '../../core/problem';

/** PLAIN_WORDS explains the team rules the API enforces, keyed by the problem's stable code. */
const PLAIN_WORDS: Record<string, string> = {
  'TEAM.ONLY_OWNER':
    'A team always needs at least one owner. Make another member an owner first, then change or remove this one.',
  'TEAM.ADMIN_IS_OWNER':
    'Administrators are always owners of the teams they belong to, so their role cannot be lowered.',
  'TEAM.ALREADY_MEMBER': 'That user is already a member of this team.',
  'TEAM.CREATE_FORBIDDEN': 'Only administrators can create teams. Ask one to create it for you.',
  'USER.NOT_FOUND': 'There is no user with that username. Pick one from the suggestions.',
};

/** teamProblem turns a refusal of a team change into one sentence, in plain words for the known rules. */
export function teamProblem(error: unknown): string {
  if (error instanceof HttpErrorResponse && error.error && typeof error.error === 'object') {
    const code = (error.error as { code?: unknown }).code;
    if (typeof code === 'string' && PLAIN_WORDS[code]) return PLAIN_WORDS[code];
  }
  return problemMessage(error);
}
