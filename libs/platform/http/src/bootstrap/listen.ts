import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface ListenOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

/** Starts serving and answers the base URL actually bound (useful with port 0). */
export async function listen(
  app: NestFastifyApplication,
  { host, port }: ListenOptions,
): Promise<string> {
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return `http://${urlHost}:${boundPort}`;
}
