import { ProblemException } from '@burndown/http';
import { InvalidPlanError, PlanRefused, SubscriptionRefused } from '@burndown/invoicing-domain';

/** Plan and subscription refusals as problem+json naming the field: 400 invalid, 404 unknown, 409 refused. */
export async function asPlanProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidPlanError)
      throw new ProblemException({
        status: 400,
        type: 'invalid-plan',
        title: 'The plan is invalid',
        detail: error.message,
        errors: [{ field: error.field, detail: error.message }],
      });
    if (error instanceof PlanRefused || error instanceof SubscriptionRefused)
      throw new ProblemException({
        status: error instanceof SubscriptionRefused && error.code === 'not-subscribed' ? 404 : 409,
        type: error.code,
        title: error.message,
        detail: error.message,
        errors: [{ field: error.field, detail: error.message }],
      });
    throw error;
  }
}
