import { AckFloor } from './ack-floor';

describe('AckFloor', () => {
  it('stays below the lowest sequence still open, whatever order they settle in', () => {
    const floor = new AckFloor(0n);
    for (const sequence of [1n, 2n, 3n, 4n]) floor.take(sequence);
    floor.settle(3n);
    floor.settle(1n);
    expect(floor.current(4n)).toBe(1n);
    floor.settle(2n);
    expect(floor.current(4n)).toBe(3n);
    floor.settle(4n);
    expect(floor.current(9n)).toBe(9n);
  });

  it('passes sequences a filter skipped: with nothing open it is where the scan got to', () => {
    const floor = new AckFloor(5n);
    expect(floor.current(12n)).toBe(12n);
    floor.take(20n);
    expect(floor.current(25n)).toBe(19n);
  });
});
