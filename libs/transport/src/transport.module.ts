import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Topics } from '@hookline/contracts';
import { createLogger, HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { BUS, type Bus } from './bus';
import { KafkaBus } from './kafka-bus';
import { MemoryBus } from './memory-bus';
import { TracedBus } from './traced-bus';
import { tracingEnabled } from '@hookline/tracing';

/** Kafka when KAFKA_BROKERS is set, else the in-process bus; carrying trace context when tracing is on. */
export function createBus(config: HooklineConfig): Bus {
  const logger = createLogger('transport', config.logLevel);
  const bus =
    config.kafka.brokers.length === 0
      ? new MemoryBus({ partitions: config.kafka.partitions, logger })
      : new KafkaBus({ ...config.kafka, logger });
  return tracingEnabled() ? new TracedBus(bus) : bus;
}

/** Provides the Bus; give it one already made to share a bus between apps in one process. */
@Global()
@Module({})
export class TransportModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  static forRoot(bus?: Bus) {
    return {
      module: TransportModule,
      providers: [
        bus ? { provide: BUS, useValue: bus } : { provide: BUS, useFactory: createBus, inject: [HOOKLINE_CONFIG] },
      ],
      exports: [BUS],
    };
  }

  /** Topics exist before anyone publishes or subscribes (`npm run topics` does the same alone). */
  async onModuleInit(): Promise<void> {
    await this.bus.provision(Object.values(Topics));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
