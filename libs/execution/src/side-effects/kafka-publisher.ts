import { Inject, Injectable } from '@nestjs/common';
import { HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { BUS, type Bus } from '@hookline/transport';
import { AllowList } from './allow-list';

export interface ScriptPublication {
  topic: string;
  value: unknown;
  key?: string;
  headers?: Record<string, string>;
}

/** Publishes what function scripts send with KAFKA.publish, to allowed topics only. */
@Injectable()
export class KafkaPublisher {
  private readonly topics: AllowList;

  constructor(
    @Inject(HOOKLINE_CONFIG) config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
  ) {
    this.topics = new AllowList(config.sideEffects.kafkaTopics);
  }

  async publish(publication: ScriptPublication, origin: { messageId: string; functionId: string }): Promise<void> {
    const { topic } = publication;
    if (topic.startsWith('hookline.')) {
      throw new Error(`topic '${topic}' belongs to Hookline itself; scripts cannot publish to it`);
    }
    if (!this.topics.allows(topic)) {
      throw new Error(`topic '${topic}' is not allowed; list it in SCRIPT_KAFKA_TOPICS`);
    }
    await this.bus.publish(topic, [
      {
        key: publication.key ?? origin.messageId,
        value: Buffer.from(JSON.stringify(publication.value ?? null)),
        headers: {
          ...publication.headers,
          'hookline-message-id': origin.messageId,
          'hookline-function-id': origin.functionId,
        },
      },
    ]);
  }
}
