import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * Secret holds a credential from configuration (the LDAP service password). It prints as `[redacted]`
 * through toString, JSON and util.inspect, so a logged config object or error never carries it;
 * `reveal()` is the one place the value is read.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** redact replaces the secret wherever it appears in a message (e.g. an error text from a library). */
  redact(text: string): string {
    return this.#value ? text.split(this.#value).join(REDACTED) : text;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
