/** The shape every event-sourced aggregate exposes (DESIGN.md §7, after emmett). */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
  /** Runs a fold as one batch when the state allows in-place edits there (see wallet-domain). */
  batch?<T>(work: () => T): T;
}

/** Maps domain events (bigint, Date) to and from the JSON stored in the event store. */
export interface EventCodec<Event> {
  encode(event: Event): { readonly type: string; readonly data: Readonly<Record<string, unknown>> };
  decode(type: string, data: Readonly<Record<string, unknown>>): Event;
}
