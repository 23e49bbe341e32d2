import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';

// What a Node main thread spent its time on, from V8's sampling profiler, by the code each sample
// was in (self time): the embedded store, the bus adapters, validation, HTTP, each service's own code… /proc
// says how much CPU a thread got; this says what it was used for. V8 samples by wall clock, so a
// thread that is runnable but waiting for a core still counts as busy here: read the shares, and
// take the CPU itself from /proc. node:sqlite's calls are native: they count as built-ins, and the
// top functions name the JS caller of each.

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface ProfileSummary {
  /** Wall-clock milliseconds the profile covers. */
  readonly wallMs: number;
  /** Percent of that time the thread was not idle (running, or runnable and waiting for a core). */
  readonly busy: number;
  /** Percent of the non-idle time by the code that was running, largest first. */
  readonly byCode: readonly (readonly [string, number])[];
  /** The functions with the most self time (a native or built-in one named with its JS caller), largest first. */
  readonly topFunctions: readonly (readonly [string, number])[];
}

const TOP_FUNCTIONS = 30;

/** `name file:line`; a frame without a script (native, built-in) is named with the JS frame that called it. */
function functionLabel(node: ProfileNode, parentOf: ReadonlyMap<number, ProfileNode>): string {
  const own = ({ functionName, url }: CallFrame) =>
    `${functionName || '(anonymous)'}${url ? ` ${url.slice(url.lastIndexOf('/') + 1)}` : ''}`;
  if (node.callFrame.url !== '' || node.callFrame.functionName.startsWith('('))
    return own(node.callFrame);
  let caller = parentOf.get(node.id);
  while (caller !== undefined && caller.callFrame.url === '') caller = parentOf.get(caller.id);
  return `${own(node.callFrame)} ← ${caller === undefined ? '?' : own(caller.callFrame)}`;
}

const SERVICES = ['ingestion', 'rating', 'wallets', 'entitlements', 'invoicing'] as const;

function serviceOf(url: string): string | undefined {
  return SERVICES.find((service) => url.includes(`/libs/${service}/`));
}

/** Where a frame's code comes from, in the words of this repository. */
function codeOf({ functionName, url }: CallFrame): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(program)') return 'V8 / native, no JS frame';
    if (functionName === '(idle)') return 'idle';
    return 'V8 built-ins (JSON, RegExp…)';
  }
  const service = serviceOf(url);
  if (service !== undefined) return `${service} code`;
  if (url.includes('/libs/platform/embedded/')) return 'embedded store & bus adapter';
  if (url.includes('/libs/platform/nats/') || url.includes('/node_modules/nats/'))
    return 'NATS client';
  if (url.includes('/libs/platform/runtime/')) return 'runtime (event sourcing, subscribers)';
  if (
    url.includes('/libs/platform/http/') ||
    /\/node_modules\/(@nestjs|fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse)\//.test(
      url,
    )
  )
    return 'HTTP (Nest, Fastify)';
  if (/\/node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)\//.test(url))
    return 'validation (class-validator)';
  if (url.includes('/libs/shared/') || url.includes('/libs/platform/ports/'))
    return 'shared kits & ports';
  if (url.startsWith('node:')) return 'Node internals (net, streams, timers…)';
  if (url.includes('/node_modules/')) return 'other packages';
  return 'other';
}

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node);
  const code = new Map<string, number>();
  const functions = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let index = 0; index < samples.length; index++) {
    const node = byId.get(samples[index] as number);
    if (node === undefined) continue;
    // timeDeltas[i] is the time before sample i; the time after it (the next delta) is what it stands for.
    const micros = deltas[index + 1] ?? deltas[index] ?? 0;
    const where = codeOf(node.callFrame);
    if (where === 'idle') continue;
    code.set(where, (code.get(where) ?? 0) + micros);
    const label = functionLabel(node, parentOf);
    functions.set(label, (functions.get(label) ?? 0) + micros);
  }
  const wallMicros = Math.max(1, profile.endTime - profile.startTime);
  const busyMicros = Math.max(
    1,
    [...code.values()].reduce((sum, micros) => sum + micros, 0),
  );
  const share = (entries: Iterable<[string, number]>) =>
    [...entries]
      .map(([name, micros]) => [name, (100 * micros) / busyMicros] as const)
      .sort((a, b) => b[1] - a[1]);
  return {
    wallMs: wallMicros / 1_000,
    busy: (100 * busyMicros) / wallMicros,
    byCode: share(code.entries()),
    topFunctions: share(functions.entries()).slice(0, TOP_FUNCTIONS),
  };
}

/** Profiles this process's main thread between start() and stop(). */
export class MainThreadProfiler {
  private session: Session | undefined;

  async start(intervalMicros = 2_000): Promise<void> {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalMicros });
    await session.post('Profiler.start');
    this.session = session;
  }

  async stop(): Promise<CpuProfile | undefined> {
    const session = this.session;
    this.session = undefined;
    if (session === undefined) return undefined;
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    session.disconnect();
    return profile;
  }
}

/** NODE_OPTIONS that make a Node process write its main thread's profile into `dir` when it exits. */
export const profileOnExitOptions = (dir: string, intervalMicros = 2_000): string =>
  `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=${intervalMicros}`;

/** The profiles a --cpu-prof run left in `dir`, by the pid in their file name. */
export function profilesIn(dir: string): Map<number, CpuProfile> {
  const found = new Map<number, CpuProfile>();
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return found;
  }
  for (const file of files) {
    // CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile; thread 0 is the main thread (the
    // embedded store's checkpoint worker writes a profile of its own).
    const name = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(file);
    const pid = Number(name?.[1]);
    if (Number.isInteger(pid) && name?.[2] === '0')
      found.set(pid, JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
  }
  return found;
}
