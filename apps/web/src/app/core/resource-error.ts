import { problemMessage } from './problem';

/**
 * resourceError is problemMessage for a resource's error(): Angular wraps a non-Error failure (an
 * HttpErrorResponse is not an Error) in an Error whose `cause` is the original, so unwrap it first.
 */
export function resourceError(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return problemMessage(cause);
}
