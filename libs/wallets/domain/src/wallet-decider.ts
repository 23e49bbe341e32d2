import { decide } from './decide';
import { decodeWalletEvent, encodeWalletEvent } from './wallet-event-codec';
import { evolve, initialState } from './wallet-state';

export const walletDecider = { decide, evolve, initialState } as const;
export const walletEventCodec = { encode: encodeWalletEvent, decode: decodeWalletEvent } as const;
