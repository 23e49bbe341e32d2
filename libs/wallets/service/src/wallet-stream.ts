export const WALLET_STREAM_PREFIX = 'wallet-';

export const walletStreamName = (walletId: string): string => `${WALLET_STREAM_PREFIX}${walletId}`;

export const walletIdOfStream = (streamName: string): string =>
  streamName.slice(WALLET_STREAM_PREFIX.length);
