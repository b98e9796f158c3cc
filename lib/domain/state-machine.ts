/**
 * A state machine written as data: its states (one `as const` list, which also gives the TypeScript
 * union and the Postgres enum) and, for each state, the states it may move to. Writers check a move
 * with `canTransition`/`assertTransition`, or make it a compare-and-set (`where state in
 * predecessors(to)`) so two workers racing cannot move a row along a path the table refuses.
 */
export type TransitionTable<S extends string> = { readonly [K in S]: readonly S[] };

export class InvalidTransitionError extends Error {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: no transition from ${from} to ${to}`);
    this.name = 'InvalidTransitionError';
  }
}

export interface StateMachine<S extends string> {
  readonly name: string;
  readonly states: readonly [S, ...S[]];
  readonly transitions: TransitionTable<S>;
  /** Whether a string is one of the states (for values read from outside). */
  isState(value: string): value is S;
  canTransition(from: S, to: S): boolean;
  /** Throws InvalidTransitionError for a move the table refuses. */
  assertTransition(from: S, to: S): void;
  /** The states from which `to` may be reached, in the order of `states`: a compare-and-set guard. */
  predecessors(to: S): S[];
  /** A state with no way out. */
  isTerminal(state: S): boolean;
}

export function stateMachine<S extends string>(
  name: string,
  states: readonly [S, ...S[]],
  transitions: TransitionTable<S>,
): StateMachine<S> {
  const known = new Set<string>(states);
  const canTransition = (from: S, to: S) => transitions[from].includes(to);
  return {
    name,
    states,
    transitions,
    isState: (value): value is S => known.has(value),
    canTransition,
    assertTransition(from, to) {
      if (!canTransition(from, to)) throw new InvalidTransitionError(name, from, to);
    },
    predecessors: (to) => states.filter((from) => canTransition(from, to)),
    isTerminal: (state) => transitions[state].length === 0,
  };
}

/** Every state may follow every state: statuses that report an observation rather than a lifecycle. */
export function anyToAny<S extends string>(states: readonly S[]): TransitionTable<S> {
  return Object.fromEntries(states.map((s) => [s, states])) as TransitionTable<S>;
}
