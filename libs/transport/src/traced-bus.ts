import {
  contextFromHeaders,
  contextWithSpan,
  failSpan,
  inSpan,
  SpanKind,
  startSpan,
  TraceAttributes,
  traceHeaders,
  type Span,
} from '@hookline/tracing';
import { TRACE_CONTEXT_HEADERS } from '@hookline/contracts';
import type { Bus, ConsumerLag, OutgoingRecord, RecordHandler, SubscribeOptions, Subscription } from './bus';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A Bus that carries W3C trace context in record headers (`traceparent`, `tracestate`), the same
 * way over Kafka and in process. Publishing makes a producer span per parent: the active span, or,
 * for a record that already carries a `traceparent` (a batch of messages from different requests),
 * the context that header names; the producer span then replaces it. Each delivery runs in a
 * consumer span that continues the record's trace, across every redelivery attempt. Used only
 * when tracing is on, so a process that does not trace pays nothing.
 */
export class TracedBus implements Bus {
  readonly consumerLag?: (groups: Array<{ groupId: string; topic: string }>) => Promise<ConsumerLag[]>;

  constructor(private readonly inner: Bus) {
    if (inner.consumerLag) this.consumerLag = (groups) => inner.consumerLag!(groups);
  }

  provision(topics: string[]): Promise<void> {
    return this.inner.provision(topics);
  }

  async publish(topic: string, records: OutgoingRecord[]): Promise<void> {
    const spans = new Map<string, { span: Span; keys: Set<string> }>();
    const traced = records.map((record) => {
      const parentHeader = record.headers?.traceparent ?? '';
      let producer = spans.get(parentHeader);
      if (!producer) {
        const span = startSpan(`${topic} publish`, {
          kind: SpanKind.PRODUCER,
          parent: parentHeader ? contextFromHeaders(record.headers!) : undefined,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'send',
            'messaging.destination.name': topic,
          },
        });
        producer = { span, keys: new Set() };
        spans.set(parentHeader, producer);
      }
      producer.keys.add(record.key);
      const headers = { ...record.headers };
      for (const name of TRACE_CONTEXT_HEADERS) delete headers[name];
      return { ...record, headers: { ...headers, ...traceHeaders(contextWithSpan(producer.span)) } };
    });
    for (const { span, keys } of spans.values()) {
      span.setAttribute('messaging.batch.message_count', keys.size);
      const [key] = keys;
      if (keys.size === 1 && UUID.test(key)) span.setAttribute(TraceAttributes.messageId, key);
    }
    try {
      await this.inner.publish(topic, traced);
    } catch (error) {
      for (const { span } of spans.values()) failSpan(span, error);
      throw error;
    } finally {
      for (const { span } of spans.values()) span.end();
    }
  }

  subscribe(options: SubscribeOptions, handler: RecordHandler): Promise<Subscription> {
    return this.inner.subscribe(options, (record) =>
      inSpan(
        `${record.topic} process`,
        {
          kind: SpanKind.CONSUMER,
          parent: contextFromHeaders(record.headers),
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'process',
            'messaging.destination.name': record.topic,
            'messaging.consumer.group.name': options.groupId,
            'messaging.destination.partition.id': String(record.partition),
            'messaging.kafka.offset': Number(record.offset),
            ...(record.key && UUID.test(record.key) ? { [TraceAttributes.messageId]: record.key } : {}),
          },
        },
        () => handler(record),
      ),
    );
  }

  healthy(): Promise<boolean> {
    return this.inner.healthy();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
