/** ErrorCategory decides the HTTP status the API maps a DomainError to. */
export type ErrorCategory =
  | 'validation' // 422: the input breaks a rule about its shape or content
  | 'forbidden' // 403: the actor may not do this
  | 'not-found' // 404
  | 'conflict' // 409: the state forbids it (name taken, only owner, …)
  | 'illegal-state'; // 422 with Portus semantics: valid input, refused by a domain rule

/** DomainError is the only error a decider throws: a stable code, a category and a message for humans. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly category: ErrorCategory,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validation = (code: string, message: string, field?: string) =>
  new DomainError(code, 'validation', message, field);
export const forbidden = (code: string, message: string) => new DomainError(code, 'forbidden', message);
export const notFound = (code: string, message: string) => new DomainError(code, 'not-found', message);
export const conflict = (code: string, message: string, field?: string) =>
  new DomainError(code, 'conflict', message, field);
export const illegalState = (code: string, message: string) => new DomainError(code, 'illegal-state', message);
