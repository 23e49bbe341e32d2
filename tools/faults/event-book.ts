import type { UsageEvent } from './burndown-api';

export type EventKind = 'load' | 'storm';

/** One send of an event id: a load event is sent once (plus retries), a storm event three times. */
export interface Submission {
  readonly event: UsageEvent;
  readonly kind: EventKind;
  /** 1 for load events; the storm round (1, 2, 3) otherwise. */
  readonly copy: number;
  /** Sends so far of this submission, retries included. */
  attempts: number;
}

/** What one attempt got back, per event: the per-event status, or why there was none. */
export type Answer =
  'accepted' | 'duplicate' | 'rejected' | 'unavailable' | 'no-answer' | `http-${number}`;

export interface EventRecord {
  readonly id: string;
  readonly customerId: string;
  readonly kind: EventKind;
  /** The schedule phase the event was first sent in. */
  readonly phase: string;
  readonly answers: Partial<Record<Answer, number>>;
  /** The bus has it: some attempt was answered `accepted` or `duplicate`. */
  stored: boolean;
  /** `accepted` answers: more than one means ingestion's dedupe let a repeat through. */
  acceptedAnswers: number;
  /** A `duplicate` answer with no `accepted` before it: an earlier attempt was stored, its answer lost. */
  storedWithLostAnswer: boolean;
  /** Copies still waiting for a definitive answer (accepted, duplicate or rejected). */
  unresolvedCopies: number;
  rejection?: string;
}

/** Every event id the harness sent and what ingestion said about it: the audit's expectations. */
export class EventBook {
  private readonly records = new Map<string, EventRecord>();

  constructor(private readonly phaseNow: () => string) {}

  submitted(submission: Submission): void {
    const { event, kind } = submission;
    let record = this.records.get(event.id);
    if (record === undefined) {
      record = {
        id: event.id,
        customerId: event.customerId,
        kind,
        phase: this.phaseNow(),
        answers: {},
        stored: false,
        acceptedAnswers: 0,
        storedWithLostAnswer: false,
        unresolvedCopies: 0,
      };
      this.records.set(event.id, record);
    }
    record.unresolvedCopies++;
  }

  /** Records one attempt's answer; true when the submission is settled and needs no retry. */
  answered(submission: Submission, answer: Answer, detail?: string): boolean {
    const record = this.records.get(submission.event.id);
    if (record === undefined)
      throw new Error(`answer for ${submission.event.id}, which was never submitted`);
    record.answers[answer] = (record.answers[answer] ?? 0) + 1;
    if (answer === 'accepted') {
      record.acceptedAnswers++;
      record.stored = true;
    } else if (answer === 'duplicate') {
      if (!record.stored) record.storedWithLostAnswer = true;
      record.stored = true;
    } else if (answer === 'rejected') {
      record.rejection ??= detail ?? 'rejected';
    } else {
      return false;
    }
    record.unresolvedCopies--;
    return true;
  }

  /** A submission given up on (too many attempts, or the harness stopped waiting). */
  abandoned(submission: Submission): void {
    const record = this.records.get(submission.event.id);
    if (record !== undefined)
      record.rejection ??= `no definitive answer after ${submission.attempts} attempts`;
  }

  get(id: string): EventRecord | undefined {
    return this.records.get(id);
  }

  all(): IterableIterator<EventRecord> {
    return this.records.values();
  }

  get size(): number {
    return this.records.size;
  }
}
