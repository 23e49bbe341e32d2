import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** What every customer (and wallet) id is, in every service. */
export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

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
