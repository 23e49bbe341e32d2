/** Dependency-injection tokens for the ports; plain symbols keep this library framework-free. */
export const EVENT_STORE = Symbol.for('burndown.EventStore');
export const READ_STORE = Symbol.for('burndown.ReadStore');
export const MESSAGE_BUS = Symbol.for('burndown.MessageBus');
export const CLOCK = Symbol.for('burndown.Clock');

/** Time enters the domain on commands; services read it from here so tests can pin it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
