import type { Command, Decider, DomainEvent } from './message';
import { DomainError } from './domain-error';

/**
 * DeciderSpecification is a 30-line clone of emmett's: given(events).when(command).then(events)
 * or .thenThrows(code). It throws plain Errors so it works under any test runner.
 */
export const DeciderSpecification = {
  for<S, C extends Command, E extends DomainEvent>(decider: Decider<S, C, E>) {
    return (given: E[]) => ({
      when: (command: C) => {
        const run = () =>
          decider.decide(
            command,
            given.reduce((s, e) => decider.evolve(s, e), decider.initialState()),
          );
        return {
          then(expected: E[]) {
            const actual = run();
            const a = JSON.stringify(actual);
            const b = JSON.stringify(expected);
            if (a !== b) throw new Error(`expected events\n  ${b}\nbut got\n  ${a}`);
          },
          thenThrows(code: string) {
            let actual: unknown;
            try {
              actual = run();
            } catch (e) {
              if (e instanceof DomainError && e.code === code) return e;
              throw new Error(`expected DomainError ${code} but got ${String(e)}`);
            }
            throw new Error(`expected DomainError ${code} but got events ${JSON.stringify(actual)}`);
          },
        };
      },
    });
  },
};
