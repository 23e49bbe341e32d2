import { IsString, Matches } from 'class-validator';

export const WALLET_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Path parameter of every wallet and customer route. */
export class WalletIdParam {
  @IsString()
  @Matches(WALLET_ID_PATTERN, { message: 'id must be 1–64 characters of A–Z, a–z, 0–9, _ or -' })
  readonly id!: string;
}
