import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { SUBJECT_TOKEN_PATTERN } from '@burndown/ports';

/** What every customer (and wallet) id is, in every service: a token of the subjects it travels on. */
export const CUSTOMER_ID_PATTERN = SUBJECT_TOKEN_PATTERN;

/**
 * The `customerId` path parameter of routes outside the wallets service (revenue, entitlements):
 * an id no customer can have is a 400 naming it, not an empty report.
 */
export class CustomerIdParam {
  @ApiProperty({ pattern: CUSTOMER_ID_PATTERN.source })
  @Matches(CUSTOMER_ID_PATTERN, {
    message: 'customerId must be 1–64 characters of A–Z, a–z, 0–9, _ or -',
  })
  readonly customerId!: string;
}
