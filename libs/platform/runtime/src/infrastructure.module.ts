import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  CLOCK,
  EVENT_STORE,
  MESSAGE_BUS,
  READ_STORE,
  systemClock,
  type Clock,
} from '@burndown/ports';
import { ConfigError, type BurndownConfig } from './config';
import { FileClock } from './file-clock';
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
        { provide: CLOCK, useValue: clockOf(config) },
        InfrastructureCloser,
      ],
      exports: [BURNDOWN_CONFIG, EVENT_STORE, READ_STORE, MESSAGE_BUS, CLOCK],
    };
  }
}

function clockOf(config: Pick<BurndownConfig, 'testClockFile'>): Clock {
  if (config.testClockFile === undefined) return systemClock;
  try {
    return new FileClock(config.testClockFile);
  } catch (error) {
    throw new ConfigError(`BURNDOWN_TEST_CLOCK_FILE: ${String(error)}`);
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
