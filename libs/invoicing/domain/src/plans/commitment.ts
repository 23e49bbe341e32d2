/**
 * What a period owes beyond what it billed, to reach its plan's commitment: the minimum less the
 * net of the period's own invoices (base fee, overage), never below zero.
 */
export function commitmentShortfall(minimum: bigint, billedNet: readonly bigint[]): bigint {
  const billed = billedNet.reduce((sum, net) => sum + net, 0n);
  return billed >= minimum ? 0n : minimum - billed;
}
