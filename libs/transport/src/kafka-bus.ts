import { Kafka, logLevel, Partitioners, type Admin, type Producer, type Message, type LogEntry } from 'kafkajs';
import { assertRecordsFit, MAX_RECORD_BYTES, recordBytes } from './record-limits';
import type { Logger } from '@hookline/config';
import {
  UnknownTopicError,
  type Bus,
  type ConsumerLag,
  type OutgoingRecord,
  type RecordHandler,
  type SubscribeOptions,
  type Subscription,
} from './bus';
import { Coalescer } from './coalescer';
import { patchKafkaJsRequestQueue } from './kafkajs-request-queue';
import { PipelinedReader } from './pipelined-reader';

// Before any client connects: otherwise each broker connection wakes the process every millisecond.
patchKafkaJsRequestQueue();

/**
 * How long a consumer may take to join its group before the service gives up starting. A broker
 * that has just started on a busy machine took over 60 s to coordinate five services' groups.
 */
const JOIN_TIMEOUT_MS = 120_000;

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  partitions: number;
  replicationFactor: number;
  /** A publish not acknowledged within this time fails (the caller answers 503). */
  publishTimeoutMs?: number;
  logger: Logger;
}

interface Publication {
  topic: string;
  records: OutgoingRecord[];
}

/** The Bus on Apache Kafka, through kafkajs. */
export class KafkaBus implements Bus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  /** Closes each subscription: its handlers under way finish and are committed first. */
  private readonly subscriptions = new Set<() => Promise<void>>();
  /** Resolves to the publication's own error, if its produce request failed. */
  private readonly publisher: Coalescer<Publication, unknown>;
  private producerConnected = false;
  private connecting: Promise<void> | null = null;
  /**
   * Set when a publication failed or timed out, cleared by the next that succeeds or by a probe of
   * the broker: kafkajs's producer stays "connected" while the broker is down.
   */
  private publishFailing = false;
  private prober: Promise<Admin> | null = null;
  /** Topics the broker has named: Hookline's once provisioned, others once a publication asked. */
  private readonly existing = new Set<string>();
  private listing: Promise<void> | null = null;

  constructor(private readonly options: KafkaBusOptions) {
    const log = options.logger;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: 3000,
      requestTimeout: 10000,
      retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: 5 },
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, label, log: entry }: LogEntry) => {
          const { message, ...rest } = entry;
          if (level <= logLevel.ERROR) log.error({ kafka: rest, label }, message);
          else log.warn({ kafka: rest, label }, message);
        },
    });
    this.producer = this.kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 3 },
    });
    this.producer.on(this.producer.events.CONNECT, () => (this.producerConnected = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.producerConnected = false));
    // Concurrent publishes leave together: one produce request per batch instead of one per message.
    this.publisher = new Coalescer((items) => this.send(items), { maxBatch: 500, maxInFlight: 4 });
  }

  /** Creates missing topics; retried, as a broker that has just started may not answer yet. */
  async provision(topics: string[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.createMissing(topics);
      } catch (error) {
        if (attempt >= 10) throw error;
        this.options.logger.warn({ err: error, attempt }, 'creating topics failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5000)));
      }
    }
  }

  private async createMissing(topics: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      existing.forEach((topic) => this.existing.add(topic));
      const missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.options.partitions,
          replicationFactor: this.options.replicationFactor,
          configEntries: [{ name: 'max.message.bytes', value: String(MAX_RECORD_BYTES) }],
        })),
      });
      missing.forEach((topic) => this.existing.add(topic));
      this.options.logger.info({ topics: missing }, 'created topics');
    } finally {
      await admin.disconnect();
    }
  }

  async publish(topic: string, records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    // Refused here, for this caller alone: sent, it would fail the whole batch it was coalesced into.
    assertRecordsFit(topic, records);
    // Refused here too: a topic the broker does not host fails the whole produce request, and with
    // it every publication coalesced into it (Hookline's own records included).
    await this.assertTopicExists(topic);
    await this.ensureProducer();
    const timeoutMs = this.options.publishTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Kafka did not acknowledge ${topic} within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const failed = await Promise.race([this.publisher.submit({ topic, records }), timeout]);
      if (failed) throw failed;
      this.publishFailing = false;
    } catch (error) {
      this.publishFailing = true;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Throws UnknownTopicError unless the broker hosts `topic`; asks it only about topics not seen yet. */
  private async assertTopicExists(topic: string): Promise<void> {
    if (this.existing.has(topic)) return;
    this.listing ??= this.listTopics().finally(() => (this.listing = null));
    await this.listing;
    if (!this.existing.has(topic)) throw new UnknownTopicError(topic);
  }

  private async listTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const topic of await admin.listTopics()) this.existing.add(topic);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Sends coalesced publications in produce requests of at most MAX_RECORD_BYTES each (so that no
   * partition's batch can go over the topic's limit however large the records), and gives each
   * publication the error of its own request, if that failed: one refused request fails only the
   * publications in it.
   */
  private async send(items: Publication[]): Promise<unknown[]> {
    const chunks: Publication[][] = [];
    let bytes = Infinity;
    for (const item of items) {
      const size = item.records.reduce((sum, record) => sum + recordBytes(record), 0);
      if (bytes + size > MAX_RECORD_BYTES) {
        chunks.push([]);
        bytes = 0;
      }
      chunks[chunks.length - 1].push(item);
      bytes += size;
    }
    // One after the other, so that records with the same key keep their order.
    const outcomes: unknown[] = [];
    for (const chunk of chunks) {
      const outcome = await this.sendChunk(chunk).then(
        () => undefined,
        (error: unknown) => error ?? new Error('Kafka refused the produce request'),
      );
      for (const _ of chunk) outcomes.push(outcome);
    }
    return outcomes;
  }

  private async sendChunk(items: Publication[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, records } of items) {
      const messages = byTopic.get(topic) ?? [];
      for (const record of records) {
        messages.push({ key: record.key, value: record.value, headers: record.headers });
      }
      byTopic.set(topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  private ensureProducer(): Promise<void> {
    if (this.producerConnected) return Promise.resolve();
    this.connecting ??= this.producer.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  async subscribe(options: SubscribeOptions, handler: RecordHandler): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 200,
      retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 8 },
    });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    // kafkajs resolves "latest" only at the first fetch after joining, so records published in
    // between would be skipped: a new group is pinned to the topic's end offsets before it starts.
    if (!options.fromBeginning) await this.startAtEndIfNew(options.groupId, options.topic);
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning });
    } catch (error) {
      // An unknown topic, say: the connected consumer must not outlive the refusal.
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    const reader = new PipelinedReader(consumer, options, handler, this.options.logger);
    consumer.on(consumer.events.GROUP_JOIN, () => reader.reassigned());
    const close = async () => {
      this.subscriptions.delete(close);
      await reader.stop();
      await consumer.disconnect();
    };
    this.subscriptions.add(close);
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, Math.min(options.concurrency, this.options.partitions)),
      eachBatch: (payload) => reader.take(payload),
    });
    await withTimeout(
      joined,
      JOIN_TIMEOUT_MS,
      `consumer group ${options.groupId} did not join within ${JOIN_TIMEOUT_MS / 1000} s`,
    );
    return {
      close: async () => {
        await close();
        if (options.ephemeral) await this.deleteGroup(options.groupId);
      },
    };
  }

  /** Removes a consumer group that only this process used (sync reply listeners). */
  private async deleteGroup(groupId: string): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.deleteGroups([groupId]);
    } catch (error) {
      this.options.logger.warn({ err: error, groupId }, 'could not delete consumer group');
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Commits the topic's current end offsets for a group that has committed none yet; retried while
   * the broker answers with a retriable error (a broker that has just started is still loading its
   * group coordinator for a while, and kafkajs's admin does not retry that).
   */
  private async startAtEndIfNew(groupId: string, topic: string): Promise<void> {
    const deadline = Date.now() + JOIN_TIMEOUT_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pinToEnd(groupId, topic);
      } catch (error) {
        if (!(error as { retriable?: boolean }).retriable || Date.now() > deadline) throw error;
        this.options.logger.warn(
          { err: error, groupId, attempt },
          'could not set where a new group starts; trying again',
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(200 * attempt, 2000)));
      }
    }
  }

  private async pinToEnd(groupId: string, topic: string): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      if (committed?.partitions.some((p) => Number(p.offset) >= 0)) return;
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({
        groupId,
        topic,
        partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
      });
    } finally {
      await admin.disconnect();
    }
  }

  async healthy(): Promise<boolean> {
    try {
      await this.ensureProducer();
      if (!this.producerConnected) return false;
      if (!this.publishFailing) return true;
      // The last publication failed: healthy again only once the broker answers a metadata request.
      await withTimeout(this.probe(), 2000, 'the broker did not answer a metadata request within 2000 ms');
      this.publishFailing = false;
      return true;
    } catch {
      return false;
    }
  }

  private async probe(): Promise<void> {
    this.prober ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.prober = null;
      throw error;
    });
    await (await this.prober).describeCluster();
  }

  async consumerLag(groups: Array<{ groupId: string; topic: string }>): Promise<ConsumerLag[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const lags: ConsumerLag[] = [];
      for (const { groupId, topic } of groups) {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        for (const end of ends) {
          // A group that never committed on a partition reports -1: everything still there is ahead of it.
          const done = Number(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
          const from = Math.max(done, Number(end.low));
          lags.push({ groupId, topic, partition: end.partition, lag: Math.max(0, Number(end.high) - from) });
        }
      }
      return lags;
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((close) => close()));
    const prober = this.prober;
    this.prober = null;
    await prober?.then((admin) => admin.disconnect()).catch(() => undefined);
    await this.producer.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]).finally(() => clearTimeout(timer));
}
