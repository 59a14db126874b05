import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import { BUS, type Bus } from '@hookline/transport';
import { pipelineLag } from './pipeline-lag';

/** How often the lag is read while SYNC_MAX_LAG is set. */
const CHECK_INTERVAL_MS = 1_000;

/**
 * Refuses sync requests early while the matcher and executors are more than SYNC_MAX_LAG records
 * behind: such a request would only wait out its timeout. The lag is read in the background, once a
 * second, never on the request path. Off (SYNC_MAX_LAG=0) by default.
 */
@Injectable()
export class SyncLagGuard implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('ingress');
  private timer: NodeJS.Timeout | null = null;
  /** Records not yet handled by the matcher and the executors, at the last reading. */
  lag = 0;

  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  /** True while sync requests should be refused. */
  get behind(): boolean {
    return this.config.sync.maxLag > 0 && this.lag > this.config.sync.maxLag;
  }

  onApplicationBootstrap(): void {
    if (this.config.sync.maxLag === 0 || !this.bus.consumerLag) return;
    const read = () => {
      pipelineLag(this.bus)
        .then((lag) => (this.lag = lag ?? 0))
        // Unknown is not behind: a broker that does not answer shows in readiness, not here.
        .catch((error) => this.log.warn({ err: error }, 'could not read the consumer lag'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(read, CHECK_INTERVAL_MS).unref();
        });
    };
    this.timer = setTimeout(read, 0).unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
