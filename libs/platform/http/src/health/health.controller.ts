import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { storeActivity, type StoreActivitySnapshot } from '@burndown/ports';
import { Public } from '../auth/public.decorator';
import { HTTP_PLATFORM_OPTIONS, type ResolvedHttpPlatformOptions } from '../http-platform.options';
import { Responds } from '../openapi/documented-responses';
import { HEALTH } from './health-responses.schemas';

/**
 * Liveness for load balancers and Kubernetes probes: public, touches no store. Also says how many
 * event-store appends this process has made since it started (benchmarks take differences).
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HTTP_PLATFORM_OPTIONS) private readonly options: ResolvedHttpPlatformOptions,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness, and event-store appends since start' })
  @Responds(200, HEALTH, 'The process is up')
  health(): { status: 'ok'; service: string; store: StoreActivitySnapshot } {
    return { status: 'ok', service: this.options.serviceName, store: storeActivity.snapshot() };
  }
}
