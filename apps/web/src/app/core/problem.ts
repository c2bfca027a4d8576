import { HttpErrorResponse } from '@angular/common/http';

/** Problem is the API's application/problem+json body (RFC 9457) with Portus's `message`. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  message?: string | Record<string, string[]>;
}

/** problemMessage turns any HTTP error into one sentence a user can act on. */
export function problemMessage(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return 'The Portcullis API is not reachable.';
    const body = error.error as Problem | string | null;
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
