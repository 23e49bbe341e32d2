import { messages as walletMessages } from '../test-support/wallet-messages';
import { NO_OVERAGE, overageChangeOf, withOverageChange } from './overage-booked';

describe('overage booked, from wallet messages', () => {
  const debited = (overdraft: string, uncovered: string | undefined, overage: string) => ({
    ...walletMessages.debited.payload,
    overage,
    data: {
      ...(walletMessages.debited.payload['data'] as object),
      overdraft,
      ...(uncovered === undefined ? {} : { uncovered }),
    },
  });

  it('adds what each debit booked and keeps what the wallet owes after the latest', () => {
    const first = withOverageChange(NO_OVERAGE, overageChangeOf(debited('300', '100', '300')));
    const second = withOverageChange(first, overageChangeOf(debited('50', '50', '350')));
    expect(second).toEqual({ booked: 350n, uncovered: 150n, owed: 350n });
  });

  it('reads a debit recorded before uncovered was kept as none uncovered', () => {
    expect(overageChangeOf(debited('300', undefined, '300'))).toEqual({
      booked: 300n,
      uncovered: 0n,
      owedAfter: 300n,
    });
  });

  it('books nothing for a grant, but follows what the wallet owes after it', () => {
    const granted = { ...walletMessages.granted.payload, overage: '0' };
    expect(
      withOverageChange({ booked: 9n, uncovered: 1n, owed: 9n }, overageChangeOf(granted)),
    ).toEqual({
      booked: 9n,
      uncovered: 1n,
      owed: 0n,
    });
  });
});
