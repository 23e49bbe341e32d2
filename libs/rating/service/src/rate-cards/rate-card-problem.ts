import { ProblemException } from '@burndown/http';
import { InvalidRateCardError, RateCardRefused, RatingRefused } from '@burndown/rating-domain';

/** A rate card or rating refusal as problem+json naming each field (JSON path, with the rule). */
export async function asCardProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidRateCardError) {
      throw new ProblemException({
        status: 400,
        type: 'invalid-rate-card',
        title: 'The rate card is invalid',
        detail: error.message,
        errors: error.problems.map((problem) => ({
          field: problem.path.replace(/^\$\.?/, '') || 'body',
          detail:
            problem.ruleId === null
              ? problem.message
              : `rule ${problem.ruleId}: ${problem.message}`,
        })),
      });
    }
    if (error instanceof RateCardRefused) {
      throw new ProblemException({
        status: 409,
        type: error.code,
        title: error.message,
        detail: error.message,
        errors: [{ field: error.field, detail: error.message }],
      });
    }
    if (error instanceof RatingRefused) {
      throw new ProblemException({
        status: 422,
        type: error.code,
        title: error.message,
        detail: error.message,
        errors: [{ field: 'rules', detail: error.message }],
      });
    }
    throw error;
  }
}
