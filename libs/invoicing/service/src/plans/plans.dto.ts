import { IsIn, IsOptional, IsString, Matches } from 'class-validator';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ID_RULE = '1–64 letters, digits, ".", "_" or "-", starting with a letter or digit';

export class PlanIdParam {
  @Matches(ID, { message: `planId must be ${ID_RULE}` })
  readonly planId!: string;
}

export class SubscriptionIdParam {
  @Matches(ID, { message: `subscriptionId must be ${ID_RULE}` })
  readonly subscriptionId!: string;
}

export class StartSubscriptionDto {
  @IsOptional()
  @Matches(ID, { message: `subscriptionId must be ${ID_RULE}` })
  readonly subscriptionId?: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,128}$/, {
    message: 'customerId must be 1–128 characters of A–Z, a–z, 0–9, _ . : or -',
  })
  readonly customerId!: string;

  @Matches(ID, { message: `planId must be ${ID_RULE}` })
  readonly planId!: string;
}

export class ChangePlanDto {
  @Matches(ID, { message: `planId must be ${ID_RULE}` })
  readonly planId!: string;
}

export class CancelSubscriptionDto {
  @IsOptional()
  @IsIn(['period-end', 'now'], { message: 'when must be "period-end" (the default) or "now"' })
  readonly when?: 'period-end' | 'now';
}

export class PackPurchaseDto {
  @Matches(ID, { message: `packId must be ${ID_RULE}` })
  readonly packId!: string;

  @IsOptional()
  @Matches(ID, { message: `purchaseId must be ${ID_RULE}` })
  readonly purchaseId?: string;
}
