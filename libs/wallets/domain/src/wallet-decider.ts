import { decide } from './decide';
import { evolve } from './evolve';
import { inBatch } from '@burndown/decider-kit';
import { decodeWalletEvent, encodeWalletEvent } from './wallet-event-codec';
import { initialState, type WalletState } from './wallet-state';
import {
  decodeWalletState,
  encodeWalletState,
  WALLET_SNAPSHOT_VERSION,
} from './wallet-state-codec';

export const walletDecider = { decide, evolve, initialState, batch: inBatch } as const;
export const walletEventCodec = { encode: encodeWalletEvent, decode: decodeWalletEvent } as const;
export const walletStateCodec = {
  version: WALLET_SNAPSHOT_VERSION,
  encode: encodeWalletState,
  decode: decodeWalletState,
  weight: (state: WalletState) => (state.status === 'unopened' ? 0 : state.commands.weight),
} as const;
