import { HttpErrorResponse } from '@angular/common/http';
import type { Problem } from '@portcullis/contracts';

/**
 * ErrorBody is what an error answer may carry: the API's Problem, read defensively (a proxy in front of the API
 * answers its own bodies), and Portus's older `message` object of messages per field.
 */
type ErrorBody = Partial<Omit<Problem, 'message'>> & { message?: Problem['message'] | Record<string, string[]> };

/** problemMessage turns any HTTP error into one sentence a user can act on. */
export function problemMessage(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return 'The Portcullis API is not reachable.';
    const body = error.error as ErrorBody | string | null;
    if (body && typeof body === 'object') {
      if (typeof body.message === 'string') return body.message;
      if (body.message && typeof body.message === 'object') {
        return Object.entries(body.message)
          .map(([field, msgs]) => `${field} ${msgs.join(', ')}`)
          .join('; ');
      }
      if (body.detail) return body.detail;
      if (body.title) return body.title;
    }
    return `${error.status} ${error.statusText}`.trim();
  }
  return error instanceof Error ? error.message : String(error);
}
