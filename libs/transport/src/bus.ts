/** One record to publish. Records with the same key keep their order. */
export interface OutgoingRecord {
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface SubscribeOptions {
  topic: string;
  /**
   * Consumers sharing a group split the topic's partitions. A group that has never committed starts
   * at the earliest record when `fromBeginning`, else at the latest.
   */
  groupId: string;
  fromBeginning: boolean;
  /**
   * How many records of each of its partitions this consumer handles at once. The next record starts
   * as soon as a slot frees; an offset is committed only once every record before it has finished.
   */
  concurrency: number;
  /** The group belongs to this process alone and is deleted when the subscription closes. */
  ephemeral?: boolean;
}

export type RecordHandler = (record: IncomingRecord) => Promise<void>;

export interface Subscription {
  close(): Promise<void>;
}

/**
 * The message bus between Hookline's services: Kafka when distributed, in-process when embedded.
 * Delivery is at least once: a record's offset is committed only after its handler resolved, and a
 * handler that throws gets the record again later. Handlers must therefore be idempotent.
 */
export interface Bus {
  /** Creates the topics Hookline uses when they do not exist yet. */
  provision(topics: string[]): Promise<void>;
  /** Resolves once every record is durably acknowledged (Kafka: acks from all in-sync replicas). */
  publish(topic: string, records: OutgoingRecord[]): Promise<void>;
  /** Resolves once the consumer has joined its group and will see records published from now on. */
  subscribe(options: SubscribeOptions, handler: RecordHandler): Promise<Subscription>;
  /** True while the bus can publish. */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
  /** Kafka only: how many records each group has yet to commit, per partition of its topic. */
  consumerLag?(groups: Array<{ groupId: string; topic: string }>): Promise<ConsumerLag[]>;
}

/** Records of `topic`'s `partition` that `groupId` has not committed yet. */
export interface ConsumerLag {
  groupId: string;
  topic: string;
  partition: number;
  lag: number;
}

/**
 * A publication or subscription to a topic that was never provisioned: Kafka's auto-creation is
 * off, so only the topics Hookline creates (and those an operator created) exist.
 */
export class UnknownTopicError extends Error {
  override readonly name = 'UnknownTopicError';

  constructor(readonly topic: string) {
    super(`topic '${topic}' does not exist (only provisioned topics can be used)`);
  }
}

/** Injection token of the Bus. */
export const BUS = Symbol('BUS');
