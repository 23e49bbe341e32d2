import type { RunSummary } from './summary';

const pad = (value: unknown, width: number) => String(value ?? '—').padEnd(width);
const padLeft = (value: unknown, width: number) => String(value ?? '—').padStart(width);

/** The run for a reader: faults and recovery, what ingestion answered, the audit, the verdict. */
export function formatReport(summary: RunSummary): string {
  const lines: string[] = [];
  const { settings, load, events, storm, wallets, durations } = summary;
  lines.push('', '═══ Fault harness report ═══');
  lines.push(`${summary.date} — ${summary.machine}`);
  lines.push(
    `run directory ${summary.runDir} (services.log, nats-server.log, harness.log, audit.json, summary.json; the services' data and the NATS store are removed after a pass unless FAULT_KEEP_DATA=1); own nats-server ${summary.natsUrl}`,
  );
  lines.push(
    `load: ${settings.rate} events/s offered in batches of ${settings.batchSize}, ${settings.concurrency} requests at a time, ${settings.customers} customers, for ${durations.loadSeconds} s ` +
      `(${load.loadEventsOffered.toLocaleString('en-US')} load events, ${load.offeredPerSecond}/s); storm: ${settings.stormEvents} ids × 3 copies`,
  );
  lines.push(
    `durations: load ${durations.loadSeconds} s, drain ${durations.drainSeconds} s, settle ${durations.settleSeconds} s, audit ${durations.auditSeconds} s, total ${durations.totalSeconds} s`,
  );

  lines.push(
    '',
    `Faults (t = since the load started; each target down ${settings.downSeconds} s, nats-server by ${settings.natsSignal}):`,
  );
  lines.push(
    `  ${pad('target', 13)}${pad('signal', 9)}${pad('killed', 10)}${pad('restarted', 11)}${padLeft('start', 8)}${padLeft('healthy', 9)}${padLeft('outage', 9)}${padLeft('stores again', 14)}`,
  );
  for (const fault of summary.faults) {
    lines.push(
      `  ${pad(fault.target, 13)}${pad(fault.signal, 9)}${pad(fault.killedAt, 10)}${pad(fault.restartedAt, 11)}${padLeft(secs(fault.startSeconds), 8)}${padLeft(secs(fault.healthySeconds), 9)}` +
        `${padLeft(secs(fault.outageSeconds), 9)}${padLeft(secs(fault.ingestionStoredAgainAfterSeconds), 14)}${fault.startAttempts > 1 ? `  (${fault.startAttempts} start attempts)` : ''}${fault.error ? `  FAILED: ${fault.error.slice(0, 200)}` : ''}`,
    );
  }
  lines.push(
    '  start: start command → listening; healthy: → /health answers; outage: kill → healthy; stores again: kill → next batch ingestion stored',
  );

  lines.push('', 'Ingestion, per phase (HTTP responses to batches; per-event answers):');
  for (const [phase, stats] of Object.entries(load.phases)) {
    lines.push(
      `  ${pad(phase, 34)} ${padLeft(stats.batches, 5)} batches  ${inline(stats.responses)}  |  ${inline(stats.answers)}`,
    );
    for (const [reason, count] of Object.entries(stats.notStoredBecause))
      lines.push(`      not stored, ${count} ×: ${reason}`);
  }
  lines.push(
    `  batch latency to 202: p50 ${load.batchLatencyMs.p50} ms, p99 ${load.batchLatencyMs.p99} ms, max ${load.batchLatencyMs.max} ms; largest backlog ${load.maxBacklog} events; given up ${load.abandoned}`,
  );

  lines.push(
    '',
    `Settling: ${summary.settle.outcome} after ${summary.settle.waitedSeconds} s (${summary.settle.debitedExpected}/${summary.settle.expected} expected debits in the ledgers)`,
  );

  lines.push('', 'Audit:');
  lines.push(
    `  event ids sent ${events.sent.toLocaleString('en-US')}; stored by ingestion ${events.stored.toLocaleString('en-US')} (${events.storedWithLostAnswer} of them on an attempt whose answer was lost)`,
  );
  lines.push(
    `  debited exactly once ${events.debitedOnce.toLocaleString('en-US')}; lost ${events.lost}; debited twice or more ${events.doubled}; wrong wallet ${events.wrongWallet}; debits for ids never sent ${events.neverSent}`,
  );
  lines.push(
    `  rejected by ingestion ${events.rejected}; never answered ${events.unresolved}; answered "accepted" twice ${events.acceptedTwice}; debit amounts ${inline(events.debitAmounts)}`,
  );
  if (events.lost > 0)
    lines.push(
      `  lost, by the phase they were first sent in: ${inline(events.lostByPhase)}; ${events.lostDeadLettered} of them dead-lettered`,
    );
  if (events.doubled > 0) lines.push(`  doubled, by phase: ${inline(events.doubledByPhase)}`);
  lines.push(
    `  duplicate storm: ${storm.ids} ids, ${storm.copiesAccepted} copies answered accepted, ${storm.copiesDuplicate} duplicate; burned exactly once ${storm.debitedOnce}, lost ${storm.lost}, doubled ${storm.doubled}`,
  );
  lines.push(
    `  wallets: ${wallets.checked} checked, ${wallets.addingUp} add up (balance = Σ ledger = granted − debited), ${wallets.chainsIntact} hash chains intact, ${wallets.debits.toLocaleString('en-US')} debit lines`,
  );
  for (const wallet of wallets.problems)
    lines.push(`    ${wallet.walletId}: ${wallet.problems.join('; ')}`);
  lines.push(
    `  dead letters: ${summary.deadLetters.distinct} (listed by ${inline(summary.deadLetters.listedBy)})`,
  );
  for (const [reason, count] of Object.entries(summary.deadLetters.reasons))
    lines.push(`    ${count} × ${reason}`);
  lines.push(
    `  service logs (lines / stderr / ERROR-WARN-failed lines): ${Object.entries(
      summary.serviceLogs,
    )
      .map(([name, c]) => `${name} ${c.lines}/${c.stderr}/${c.troubled}`)
      .join(', ')}`,
  );
  for (const [kind, findings] of Object.entries(summary.examples)) {
    if (findings.length === 0) continue;
    lines.push(`  ${kind}, first ${findings.length}:`);
    for (const finding of findings) lines.push(`    ${JSON.stringify(finding)}`);
  }

  lines.push(
    '',
    summary.verdict === 'pass'
      ? 'VERDICT: PASS — nothing lost, nothing applied twice, every wallet adds up'
      : 'VERDICT: FAIL',
  );
  for (const failure of summary.failures) lines.push(`  ✗ ${failure}`);
  for (const warning of summary.warnings) lines.push(`  ! ${warning}`);
  return lines.join('\n');
}

const secs = (value: number | null) => (value === null ? '—' : `${value} s`);
const inline = (record: object) =>
  Object.entries(record)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ') || 'none';
