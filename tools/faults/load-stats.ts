import type { Answer } from './event-book';

export interface PhaseStats {
  batches: number;
  /** HTTP status of each batch request, or `no-answer` when the connection failed or timed out. */
  readonly responses: Record<string, number>;
  /** Per-event answers within those responses. */
  readonly answers: Partial<Record<Answer, number>>;
  /** Why events were not stored (refused connection, 429, `unavailable` reason), with counts. */
  readonly notStoredBecause: Record<string, number>;
}

/** What the load generator saw, per schedule phase, for the report. */
export class LoadStats {
  readonly phases = new Map<string, PhaseStats>();
  /** Milliseconds from send to a 202, every batch. */
  readonly latenciesMs: number[] = [];
  /** When a batch came back with at least one stored event: recovery shows up here. */
  private readonly storedAt: number[] = [];
  maxBacklog = 0;
  abandoned = 0;
  /** Events answered accepted or duplicate, all phases. */
  storedEvents = 0;

  response(phase: string, status: number | 'no-answer'): void {
    const stats = this.phase(phase);
    stats.batches++;
    stats.responses[String(status)] = (stats.responses[String(status)] ?? 0) + 1;
  }

  answer(phase: string, answer: Answer, count = 1): void {
    const stats = this.phase(phase);
    stats.answers[answer] = (stats.answers[answer] ?? 0) + count;
  }

  stored(at: number, latencyMs: number, events: number): void {
    this.storedEvents += events;
    this.storedAt.push(at);
    this.latenciesMs.push(latencyMs);
  }

  /** The first moment after `since` that ingestion stored events again. */
  firstStoredAfter(since: number): number | undefined {
    return this.storedAt.find((at) => at >= since);
  }

  notStored(phase: string, reason: string, count: number): void {
    const reasons = this.phase(phase).notStoredBecause;
    // Ids and numbers vary from event to event; the reason is what is left.
    const key = reason
      .replace(/(load|storm)-\d+/g, '<id>')
      .replace(/\d+/g, 'N')
      .slice(0, 160);
    reasons[key] = (reasons[key] ?? 0) + count;
  }

  backlog(size: number): void {
    if (size > this.maxBacklog) this.maxBacklog = size;
  }

  private phase(name: string): PhaseStats {
    let stats = this.phases.get(name);
    if (stats === undefined) {
      stats = { batches: 0, responses: {}, answers: {}, notStoredBecause: {} };
      this.phases.set(name, stats);
    }
    return stats;
  }
}
