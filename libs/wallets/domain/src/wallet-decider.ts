import { decide } from './decide';
import { evolve } from './evolve';
import { inBatch } from './transient';
import { decodeWalletEvent, encodeWalletEvent } from './wallet-event-codec';
import { initialState } from './wallet-state';

export const walletDecider = { decide, evolve, initialState, batch: inBatch } as const;
export const walletEventCodec = { encode: encodeWalletEvent, decode: decodeWalletEvent } as const;
