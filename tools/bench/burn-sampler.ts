import { parentPort, workerData } from 'node:worker_threads';
import { CpuReader, type CpuTarget, type RawCpuSample } from './burn-cpu';
import {
  COUNTER,
  wallClockMs,
  type CounterPoint,
  type FromSampler,
  type ToSampler,
} from './burn-protocol';

// The burn benchmark's sampler: its own thread (named burn-sampler), so that /proc and the shared
// counters are read once a second even when the embedded services, in the main thread, keep its
// event loop busy for seconds on end (PGlite resolves its promises at once, so long chains of
// awaits run without ever letting a timer fire).

const {
  counters: buffer,
  targets,
  intervalMs,
} = workerData as {
  counters: SharedArrayBuffer;
  targets: readonly CpuTarget[];
  intervalMs: number;
};
const counters = new Int32Array(buffer);
const reader = new CpuReader(targets);
let cpu: RawCpuSample[] = [];
let points: CounterPoint[] = [];

function sample(): void {
  const taken = reader.sample();
  if (taken !== undefined) cpu.push(taken);
  const count = (slot: number) => Atomics.load(counters, slot);
  points.push({
    at: wallClockMs(),
    sent: count(COUNTER.sent),
    stored: count(COUNTER.stored),
    applied: count(COUNTER.applied),
    requestsInFlight: count(COUNTER.requestsInFlight),
    usage: count(COUNTER.usage),
    debits: count(COUNTER.debits),
    appliedAll: count(COUNTER.appliedAll),
  });
}

sample();
const timer = setInterval(sample, intervalMs);
const port = parentPort;
if (port === null) throw new Error('burn-sampler runs as a worker thread of burn.bench');
port.on('message', (message: ToSampler) => {
  if (message.type === 'exit') {
    clearInterval(timer);
    port.close();
    return;
  }
  // A reading now, so a window that just ended is covered; then everything since the last flush.
  sample();
  port.postMessage({ type: 'samples', cpu, points } satisfies FromSampler);
  cpu = [];
  points = [];
});
