import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { HTTP_PLATFORM_OPTIONS, type ResolvedHttpPlatformOptions } from '../http-platform.options';

/** Liveness for load balancers and Kubernetes probes: public, touches no store. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(HTTP_PLATFORM_OPTIONS) private readonly options: ResolvedHttpPlatformOptions) {}

  @Get()
  health(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.options.serviceName };
  }
}
