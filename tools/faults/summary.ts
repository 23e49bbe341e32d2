import type { Audit } from './audit';
import type { EventFinding } from './event-audit';
import type { FaultRecord } from './fault-injector';
import type { LoadStats } from './load-stats';
import type { QuiescenceOutcome } from './quiescence';
import { relative, type ServiceLogCounts } from './run-log';
import type { HarnessSettings } from './settings';

/** What happened in a run, as the harness measured it; the summary and the report read it. */
export interface RunFacts {
  readonly startedAt: number;
  readonly machine: string;
  readonly settings: HarnessSettings;
  readonly natsUrl: string;
  readonly loadStartedAt: number;
  readonly loadStoppedAt: number;
  readonly drainedAt: number;
  readonly settledAt: number;
  readonly finishedAt: number;
  readonly loadEventsProduced: number;
  readonly stats: LoadStats;
  readonly faults: readonly FaultRecord[];
  readonly settle: QuiescenceOutcome;
  readonly audit: Audit;
  readonly serviceLogs: ReadonlyMap<string, ServiceLogCounts>;
}

/** How many findings of each kind the summary lists by id; audit.json in the run directory has them all. */
const EXAMPLES = 20;
const seconds = (ms: number) => Math.round(ms / 100) / 10;

export function summarize(facts: RunFacts) {
  const { audit, settings, stats } = facts;
  const latencies = [...stats.latenciesMs].sort((a, b) => a - b);
  const examples = (findings: readonly EventFinding[]) => findings.slice(0, EXAMPLES);
  const byPhase = (findings: readonly EventFinding[]) =>
    findings.reduce<Record<string, number>>(
      (counts, finding) => ({ ...counts, [finding.phase]: (counts[finding.phase] ?? 0) + 1 }),
      {},
    );
  const deadLetterReasons = audit.deadLetters.letters.reduce<Record<string, number>>(
    (counts, letter) => {
      const key = `${letter.consumer}: ${letter.reason.replace(/\S*(load|storm)-\d+\S*/g, '<id>').slice(0, 160)}`;
      return { ...counts, [key]: (counts[key] ?? 0) + 1 };
    },
    {},
  );
  return {
    verdict: audit.failures.length === 0 ? 'pass' : 'fail',
    failures: audit.failures,
    warnings: audit.warnings,
    date: new Date(facts.startedAt).toISOString(),
    machine: facts.machine,
    runDir: settings.runDir,
    natsUrl: facts.natsUrl,
    settings: {
      rate: settings.rate,
      seconds: settings.seconds,
      batchSize: settings.batchSize,
      concurrency: settings.concurrency,
      customers: settings.customers,
      stormEvents: settings.stormEvents,
      downSeconds: settings.downSeconds,
      quietSeconds: settings.quietSeconds,
      natsSignal: settings.natsSignal,
      targets: settings.targets,
      grantMicros: settings.grantMicros.toString(),
    },
    durations: {
      loadSeconds: seconds(facts.loadStoppedAt - facts.loadStartedAt),
      drainSeconds: seconds(facts.drainedAt - facts.loadStoppedAt),
      settleSeconds: seconds(facts.settledAt - facts.drainedAt),
      auditSeconds: seconds(facts.finishedAt - facts.settledAt),
      totalSeconds: seconds(facts.finishedAt - facts.startedAt),
    },
    load: {
      loadEventsOffered: facts.loadEventsProduced,
      offeredPerSecond: Math.round(
        facts.loadEventsProduced / ((facts.loadStoppedAt - facts.loadStartedAt) / 1000),
      ),
      maxBacklog: stats.maxBacklog,
      abandoned: stats.abandoned,
      batchLatencyMs: {
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: latencies.at(-1) ?? null,
      },
      phases: Object.fromEntries(stats.phases),
    },
    faults: facts.faults.map((fault) => {
      const storedAgainAt = stats.firstStoredAfter(fault.goneAt);
      return {
        target: fault.target,
        signal: fault.signal,
        killedAt: relative(fault.killedAt, facts.loadStartedAt),
        killedAtTime: new Date(fault.killedAt).toISOString(),
        restartedAt: relative(fault.restartedAt, facts.loadStartedAt),
        /** From the kill to a healthy process again, the chosen down time included. */
        outageSeconds:
          fault.healthyAt === undefined ? null : seconds(fault.healthyAt - fault.killedAt),
        /** From the start command to listening: how long the process takes to come back. */
        startSeconds: fault.upAt === undefined ? null : seconds(fault.upAt - fault.restartedAt),
        healthySeconds:
          fault.healthyAt === undefined ? null : seconds(fault.healthyAt - fault.restartedAt),
        /** From the kill to the next batch ingestion stored. */
        ingestionStoredAgainAfterSeconds:
          storedAgainAt === undefined ? null : seconds(storedAgainAt - fault.killedAt),
        startAttempts: fault.startAttempts,
        ...(fault.error === undefined ? {} : { error: fault.error }),
      };
    }),
    settle: {
      outcome: facts.settle.outcome,
      waitedSeconds: seconds(facts.settle.waitedMs),
      debitedExpected: facts.settle.debitedExpected,
      expected: facts.settle.expected,
    },
    events: {
      sent: audit.events.sent,
      stored: audit.events.stored,
      storedWithLostAnswer: audit.events.storedWithLostAnswer,
      debitedOnce: audit.events.debitedOnce,
      lost: audit.events.lost.length,
      /** Lost events a dead letter explains (its reason is in deadLetters.reasons). */
      lostDeadLettered: audit.events.lost.filter((finding) => finding.deadLetter !== undefined)
        .length,
      doubled: audit.events.doubled.length,
      wrongWallet: audit.events.wrongWallet.length,
      neverSent: audit.events.neverSent.length,
      rejected: audit.events.rejected.length,
      unresolved: audit.events.unresolved.length,
      acceptedTwice: audit.events.acceptedTwice.length,
      debitAmounts: audit.events.debitAmounts,
      lostByPhase: byPhase(audit.events.lost),
      doubledByPhase: byPhase(audit.events.doubled),
    },
    storm: audit.events.storm,
    wallets: {
      checked: audit.balances.length,
      addingUp: audit.balances.filter((wallet) => wallet.problems.length === 0).length,
      chainsIntact: audit.balances.filter((wallet) => wallet.chain === 'intact').length,
      debits: audit.balances.reduce((sum, wallet) => sum + wallet.debits, 0),
      problems: audit.balances
        .filter((wallet) => wallet.problems.length > 0)
        .map(({ walletId, problems }) => ({ walletId, problems })),
    },
    deadLetters: {
      distinct: audit.deadLetters.letters.length,
      listedBy: audit.deadLetters.listedBy,
      reasons: deadLetterReasons,
    },
    serviceLogs: Object.fromEntries(facts.serviceLogs),
    examples: {
      lost: examples(audit.events.lost),
      doubled: examples(audit.events.doubled),
      wrongWallet: examples(audit.events.wrongWallet),
      rejected: examples(audit.events.rejected),
      unresolved: examples(audit.events.unresolved),
      acceptedTwice: examples(audit.events.acceptedTwice),
      neverSent: audit.events.neverSent.slice(0, EXAMPLES),
    },
  };
}

export type RunSummary = ReturnType<typeof summarize>;

function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? null;
}
