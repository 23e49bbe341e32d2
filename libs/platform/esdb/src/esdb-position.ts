import type { Position } from '@eventstore/db-client';

const PREPARE_BITS = 64n;
const PREPARE_MASK = (1n << PREPARE_BITS) - 1n;

/**
 * EventStoreDB orders $all by (commit, prepare); the port has one bigint. Both fit, in that order,
 * in one bigint, so comparing positions compares log order and a checkpoint resumes exactly.
 */
export const packPosition = (position: Position): bigint =>
  (position.commit << PREPARE_BITS) | position.prepare;

export const unpackPosition = (packed: bigint): Position => ({
  commit: packed >> PREPARE_BITS,
  prepare: packed & PREPARE_MASK,
});
