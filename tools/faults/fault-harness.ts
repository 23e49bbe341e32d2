import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DistributedTopology } from '../distributed/topology';
import { machineLine } from '../bench/bench-support';
import { audit } from './audit';
import { BurndownApi } from './burndown-api';
import { collectEvidence } from './collect-evidence';
import { createCustomers } from './customers';
import { DuplicateStorm } from './duplicate-storm';
import { EventBook } from './event-book';
import { planRun } from './fault-schedule';
import { LoadGenerator } from './load-generator';
import { NatsServerProcess } from './nats-server';
import { processControls } from './process-controls';
import { waitForQuiescence } from './quiescence';
import { formatReport } from './report';
import { RunLog } from './run-log';
import { runSchedule } from './run-schedule';
import { loadSettings } from './settings';
import { summarize } from './summary';
import { UsageWatch } from './usage-watch';

// npm run faults (issue 6): sustained load over the five services on the harness's own
// nats-server; kill -9 each service in turn and restart it, restart nats-server once, send a
// duplicate storm; then wait for the ledgers to settle and audit every event id against them.
// Exit 0: nothing lost or double-applied and every wallet adds up; 1: the audit failed; 2: the
// harness itself could not run.

/** Retries of one event before it is given up on: a few minutes' worth of outages. */
const MAX_ATTEMPTS = 500;
/** After the load stops, how long queued and retried events may take to be answered. */
const DRAIN_MS = 120_000;
const PROGRESS_EVERY_MS = 10_000;

async function main(): Promise<number> {
  const startedAt = Date.now();
  const settings = loadSettings();
  const log = new RunLog(settings.runDir);
  log.harness(`fault harness — ${machineLine()}; run directory ${settings.runDir}`);
  const nats = await NatsServerProcess.start({
    binary: settings.natsBinary,
    port: settings.natsPort,
    storeDir: join(settings.runDir, 'nats-store'),
    log: (line) => log.nats(line),
  });
  log.harness(
    `own nats-server (pid ${nats.pid}) at ${nats.url}, store ${join(settings.runDir, 'nats-store')}`,
  );
  let topology: DistributedTopology | undefined;
  let passed = false;
  const watch = await UsageWatch.open(nats.url);
  try {
    topology = await DistributedTopology.start({
      baseDir: join(settings.runDir, 'services'),
      natsUrl: nats.url,
      // Plain lines in services.log, without the logger's terminal colours.
      env: { NO_COLOR: '1' },
      log: (service, line, stream) => log.service(service, line, stream),
    });
    const running = topology;
    log.harness(
      `services up: ${Object.entries(running.urls())
        .map(([name, url]) => `${name} ${url}`)
        .join(', ')}`,
    );
    const api = new BurndownApi((name) => running.url(name), running.apiKey);
    const { ids: customers, granted } = await createCustomers(
      api,
      settings.customers,
      settings.grantMicros,
    );
    log.harness(
      `${customers.length} customers, each granted ${granted.get(customers[0] as string)} micro-credits`,
    );

    let phase = 'warm-up';
    const book = new EventBook(() => phase);
    const load = new LoadGenerator(
      api,
      book,
      {
        ratePerSecond: settings.rate,
        batchSize: settings.batchSize,
        concurrency: settings.concurrency,
        customers,
        maxAttempts: MAX_ATTEMPTS,
      },
      () => phase,
    );
    const storm = new DuplicateStorm(settings.stormEvents, customers);
    // Ingestion and nats-server die while a batch is being published (see UsageWatch).
    const controls = processControls(running, nats, api, (target) =>
      target === 'ingestion' || target === 'nats-server'
        ? watch.nextPublish(3_000)
        : Promise.resolve(),
    );

    const loadStartedAt = Date.now();
    log.loadStartedAt = loadStartedAt;
    load.start();
    log.harness(`load started: ${settings.rate} events/s for ${settings.seconds} s`);
    const progress = setInterval(
      () =>
        log.harness(
          `phase "${phase}": ${load.loadEventsProduced} load events offered, ${load.stats.storedEvents} stored, backlog ${load.backlog}`,
        ),
      PROGRESS_EVERY_MS,
    );
    const faults = await runSchedule({
      steps: planRun(settings.seconds, settings.targets),
      loadStartedAt,
      settings,
      load,
      storm,
      controls,
      setPhase: (next) => (phase = next),
      log,
    });
    phase = 'drain';
    const loadStoppedAt = Date.now();
    log.harness(
      `load stopped after ${load.loadEventsProduced} load events; draining ${load.backlog} queued or retried events`,
    );
    await load.drain(Date.now() + DRAIN_MS);
    clearInterval(progress);
    const drainedAt = Date.now();
    log.harness(`drained: ${book.size} event ids sent, ${load.stats.abandoned} given up on`);

    const stored = [...book.all()].filter((record) => record.stored).length;
    const settle = await waitForQuiescence(
      api,
      customers,
      (id) => book.get(id)?.stored === true,
      stored,
      {
        quietSeconds: settings.quietSeconds,
        stallSeconds: settings.stallSeconds,
        deadlineMs: Date.now() + settings.settleDeadlineSeconds * 1000,
      },
      (line) => log.harness(line),
    );
    const settledAt = Date.now();
    log.harness(
      `settled (${settle.outcome}) after ${Math.round(settle.waitedMs / 1000)} s; auditing`,
    );

    const evidence = await collectEvidence(api, customers);
    const result = audit(book, evidence, granted, faults, settle);
    const summary = summarize({
      startedAt,
      machine: machineLine(),
      settings,
      natsUrl: nats.url,
      loadStartedAt,
      loadStoppedAt,
      drainedAt,
      settledAt,
      finishedAt: Date.now(),
      loadEventsProduced: load.loadEventsProduced,
      stats: load.stats,
      faults,
      settle,
      audit: result,
      serviceLogs: log.counts,
    });
    writeFileSync(
      join(settings.runDir, 'audit.json'),
      JSON.stringify(
        { ...result.events, balances: result.balances, deadLetters: result.deadLetters.letters },
        null,
        2,
      ),
    );
    writeFileSync(join(settings.runDir, 'summary.json'), JSON.stringify(summary, null, 2));
    console.log(formatReport(summary));
    // The per-phase figures are in the report above and in summary.json; the printed JSON stays short.
    const { phases: _phases, ...loadFigures } = summary.load;
    console.log('\nJSON summary:');
    console.log(JSON.stringify({ ...summary, load: loadFigures }, null, 2));
    passed = summary.verdict === 'pass';
    return passed ? 0 : 1;
  } finally {
    await watch.close();
    await topology?.stop();
    await nats.kill('SIGTERM');
    await log.close();
    // About a gigabyte a run: kept only where there is something to investigate.
    if (passed && !settings.keepData) {
      for (const data of ['services', 'nats-store'])
        rmSync(join(settings.runDir, data), { recursive: true, force: true });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `fault harness could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(2);
  },
);
