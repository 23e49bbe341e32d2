import { WalletIdParam } from '../wallet-id.param';
import { IsResourceId } from './resource-id';

export class HoldParams extends WalletIdParam {
  @IsResourceId('holdId')
  readonly holdId!: string;
}

export class GrantParams extends WalletIdParam {
  @IsResourceId('grantId')
  readonly grantId!: string;
}

export class BudgetParams extends WalletIdParam {
  @IsResourceId('budgetId')
  readonly budgetId!: string;
}
