import { decide } from './decide';
import { evolve } from './evolve';
import { decodeWalletEvent, encodeWalletEvent } from './wallet-event-codec';
import { initialState } from './wallet-state';

export const walletDecider = { decide, evolve, initialState } as const;
export const walletEventCodec = { encode: encodeWalletEvent, decode: decodeWalletEvent } as const;
