/** CommandMetadata is everything impure a decider needs, handed in by the caller (architecture rule 2). */
export interface CommandMetadata {
  /** now is the command's time, ISO 8601. */
  readonly now: string;
  /** actor is the authenticated user's id, or null for anonymous/system. */
  readonly actor: ActorRef | null;
  /**
   * correlationId ties together every event one command (and the steps it hands on) appends; the store keeps
   * it in the event metadata. Deciders never read it.
   */
  readonly correlationId?: string;
}

/** ActorRef names who acts; `admin` is read by deciders that grant admins more. */
export interface ActorRef {
  readonly id: number;
  readonly username: string;
  readonly admin: boolean;
}

/** Command is an imperative request: `{ type, data, metadata }`. */
export type Command<Type extends string = string, Data = Record<string, unknown>> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: CommandMetadata;
}>;

/** DomainEvent is a past-tense fact: `{ type, data }`. Store metadata is added by the adapter. */
export type DomainEvent<Type extends string = string, Data = Record<string, unknown>> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/** Decider is emmett's shape: decide(command, state) → events; evolve(state, event) → state. */
export interface Decider<State, C extends Command, E extends DomainEvent> {
  decide(command: C, state: State): E[];
  evolve(state: State, event: E): State;
  initialState(): State;
}

/** fold replays events over a decider's initial state. */
export function fold<State, E extends DomainEvent>(
  decider: Pick<Decider<State, never, E>, 'evolve' | 'initialState'>,
  events: readonly E[],
): State {
  return events.reduce((s, e) => decider.evolve(s, e), decider.initialState());
}

/** assertNever closes every switch over a union. */
export function assertNever(x: never): never {
  throw new Error(`unexpected: ${JSON.stringify(x)}`);
}
