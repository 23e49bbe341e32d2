import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, EVENT_STORE, MESSAGE_BUS, READ_STORE, systemClock } from '@burndown/ports';
import type { BurndownConfig } from './config';
import type { Infrastructure } from './infrastructure';

export const BURNDOWN_CONFIG = Symbol.for('burndown.Config');
const INFRASTRUCTURE = Symbol.for('burndown.Infrastructure');

/** Binds the ports to the opened adapters for every service module in the process. */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(config: BurndownConfig, infrastructure: Infrastructure): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: BURNDOWN_CONFIG, useValue: config },
        { provide: INFRASTRUCTURE, useValue: infrastructure },
        { provide: EVENT_STORE, useValue: infrastructure.eventStore },
        { provide: READ_STORE, useValue: infrastructure.readStore },
        { provide: MESSAGE_BUS, useValue: infrastructure.bus },
        { provide: CLOCK, useValue: systemClock },
        InfrastructureCloser,
      ],
      exports: [BURNDOWN_CONFIG, EVENT_STORE, READ_STORE, MESSAGE_BUS, CLOCK],
    };
  }
}

/** Closes adapters after every service has stopped its consumers (onModuleDestroy runs first). */
@Injectable()
class InfrastructureCloser implements OnApplicationShutdown {
  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}
  async onApplicationShutdown(): Promise<void> {
    await this.infrastructure.close();
  }
}
