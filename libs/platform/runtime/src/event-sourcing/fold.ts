import type { RecordedEvent } from '@burndown/ports';
import type { Decider, EventCodec } from './decider';

/** State after the given events, starting from `from` (the initial state by default). */
export function foldRecorded<Command, Event, State>(
  history: readonly RecordedEvent[],
  decider: Decider<Command, Event, State>,
  codec: EventCodec<Event>,
  from: State = decider.initialState(),
): State {
  const fold = (): State => {
    let state = from;
    for (const recorded of history)
      state = decider.evolve(state, codec.decode(recorded.type, recorded.data));
    return state;
  };
  return decider.batch ? decider.batch(fold) : fold();
}
