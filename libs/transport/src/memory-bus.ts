import type { Logger } from '@hookline/config';
import type {
  Bus,
  ConsumerLag,
  IncomingRecord,
  OutgoingRecord,
  RecordHandler,
  SubscribeOptions,
  Subscription,
} from './bus';
import { UnknownTopicError } from './bus';
import { assertRecordsFit, recordBytes } from './record-limits';

interface Member {
  handler: RecordHandler;
  concurrency: number;
}

interface Group {
  id: string;
  members: Member[];
  /** Per partition: every record before this offset was handled (what Kafka's commit would say). */
  committed: number[];
  /** Per partition: the next offset to hand out. */
  next: number[];
  /** Per partition: offsets handled at or after `committed`, waiting for those before them. */
  finished: Array<Set<number>>;
  /** Per partition: records running (at most the owning member's concurrency). */
  running: number[];
}

interface Partition {
  /** Offset of records[0]; records before it were handled by every group (or retained no longer) and dropped. */
  base: number;
  records: IncomingRecord[];
  /** What `records` weigh, as the record limit counts them. */
  bytes: number[];
  totalBytes: number;
}

interface MemoryTopic {
  partitions: Partition[];
  groups: Map<string, Group>;
}

const RETRY_BACKOFF_MS = [50, 200, 1000, 5000];

/**
 * Default of MemoryBusOptions.unreadRetentionBytes. Small on purpose: embedded, the execution
 * results and dead letters have no reader in the process, and their partitions hold this much each.
 */
export const MEMORY_BUS_UNREAD_RETENTION_BYTES = 1024 * 1024;

export interface MemoryBusOptions {
  partitions: number;
  logger: Logger;
  /**
   * Bytes each partition of a topic no group has subscribed to keeps for a group that subscribes
   * later from the beginning, as Kafka's retention would (oldest dropped first, the newest record
   * always kept). Bounds what records nobody in the process reads can cost.
   */
  unreadRetentionBytes?: number;
}

/**
 * The Bus inside one process, with Kafka's contract: topics exist once provisioned (publishing or
 * subscribing to any other fails, as on Kafka with auto-creation off), keyed partitions, consumer
 * groups that split partitions among members, up to `concurrency` records of a partition running,
 * commit after the handler resolved (never past a record still running), redelivery when it throws. Records of a topic no group has subscribed to yet are kept, up to
 * `unreadRetentionBytes` per partition, for whoever subscribes from the beginning; once groups
 * exist, a record is kept only until every one of them has handled it (Kafka would keep it for its
 * retention time; Hookline's consumers never subscribe late expecting it). Nothing survives the
 * process: the embedded mode recovers unfinished work from the database at start.
 */
export class MemoryBus implements Bus {
  private readonly topics = new Map<string, MemoryTopic>();
  private closed = false;
  /** Deliveries under way: close() waits for them, as a Kafka consumer finishes its batch. */
  private readonly draining = new Set<Promise<void>>();
  private readonly unreadRetentionBytes: number;

  constructor(private readonly options: MemoryBusOptions) {
    this.unreadRetentionBytes = options.unreadRetentionBytes ?? MEMORY_BUS_UNREAD_RETENTION_BYTES;
  }

  async provision(topics: string[]): Promise<void> {
    for (const name of topics) {
      if (this.topics.has(name)) continue;
      this.topics.set(name, {
        partitions: Array.from({ length: this.options.partitions }, () => ({
          base: 0,
          records: [],
          bytes: [],
          totalBytes: 0,
        })),
        groups: new Map(),
      });
    }
  }

  async publish(topic: string, records: OutgoingRecord[]): Promise<void> {
    if (this.closed) throw new Error('the in-process bus is closed');
    // The same limit as Kafka's, so that what fails on Kafka fails embedded too.
    assertRecordsFit(topic, records);
    const state = this.topic(topic);
    for (const record of records) {
      const p = partitionFor(record.key, state.partitions.length);
      const partition = state.partitions[p];
      partition.records.push({
        topic,
        partition: p,
        offset: String(partition.base + partition.records.length),
        key: record.key,
        value: ownBuffer(record.value),
        headers: { ...record.headers },
      });
      const bytes = recordBytes(record);
      partition.bytes.push(bytes);
      partition.totalBytes += bytes;
      if (state.groups.size === 0) this.retain(partition);
      for (const group of state.groups.values()) this.pump(state, group, p);
    }
  }

  async subscribe(options: SubscribeOptions, handler: RecordHandler): Promise<Subscription> {
    const state = this.topic(options.topic);
    let group = state.groups.get(options.groupId);
    if (!group) {
      const start = (partition: Partition) =>
        options.fromBeginning ? partition.base : partition.base + partition.records.length;
      group = {
        id: options.groupId,
        members: [],
        committed: state.partitions.map(start),
        next: state.partitions.map(start),
        finished: state.partitions.map(() => new Set<number>()),
        running: state.partitions.map(() => 0),
      };
      state.groups.set(options.groupId, group);
    }
    const member: Member = { handler, concurrency: options.concurrency };
    group.members.push(member);
    this.pumpAll(state, group);
    return {
      close: async () => {
        group.members = group.members.filter((m) => m !== member);
        if (options.ephemeral && group.members.length === 0) {
          state.groups.delete(options.groupId);
          state.partitions.forEach((_, p) => this.trim(state, p));
        }
      },
    };
  }

  async healthy(): Promise<boolean> {
    return !this.closed;
  }

  /** Records each group has not handled yet, per partition, as Kafka's committed offsets would say. */
  async consumerLag(groups: Array<{ groupId: string; topic: string }>): Promise<ConsumerLag[]> {
    const lags: ConsumerLag[] = [];
    for (const { groupId, topic } of groups) {
      const state = this.topics.get(topic);
      const group = state?.groups.get(groupId);
      if (!state || !group) continue;
      state.partitions.forEach((partition, p) =>
        lags.push({
          groupId,
          topic,
          partition: p,
          lag: partition.base + partition.records.length - group.committed[p],
        }),
      );
    }
    return lags;
  }

  /** Stops delivering, and resolves once the handlers under way have finished. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.draining]);
  }

  private topic(name: string): MemoryTopic {
    const state = this.topics.get(name);
    if (!state) throw new UnknownTopicError(name);
    return state;
  }

  private pumpAll(state: MemoryTopic, group: Group): void {
    state.partitions.forEach((_, p) => this.pump(state, group, p));
  }

  /**
   * Hands a partition's next records to the member that owns it while it has free slots: a slow
   * record holds up none behind it, and the partition's commit never passes a record still running.
   */
  private pump(state: MemoryTopic, group: Group, p: number): void {
    const partition = state.partitions[p];
    for (;;) {
      const member = this.owner(group, p);
      if (!member || this.closed || group.running[p] >= member.concurrency) return;
      if (group.next[p] >= partition.base + partition.records.length) return;
      const offset = group.next[p]++;
      const record = partition.records[offset - partition.base];
      group.running[p]++;
      const delivery = this.deliver(member, group, record).then((handled) => {
        this.draining.delete(delivery);
        group.running[p]--;
        if (handled) {
          group.finished[p].add(offset);
          while (group.finished[p].delete(group.committed[p])) group.committed[p]++;
          this.trim(state, p);
        }
        this.pump(state, group, p);
      });
      this.draining.add(delivery);
    }
  }

  /** Runs the handler until it resolves (a record that fails is tried again, after a pause); false if closed first. */
  private async deliver(member: Member, group: Group, record: IncomingRecord): Promise<boolean> {
    for (let failures = 0; ;) {
      try {
        await member.handler(record);
        return true;
      } catch (error) {
        if (this.closed) return false;
        const delay = RETRY_BACKOFF_MS[Math.min(failures++, RETRY_BACKOFF_MS.length - 1)];
        this.options.logger.warn(
          { err: error, group: group.id, topic: record.topic, offset: record.offset, messageId: record.key },
          `handler failed, retrying in ${delay} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        if (this.closed) return false;
      }
    }
  }

  /** Partitions are split among a group's members as Kafka's range assignor would. */
  private owner(group: Group, p: number): Member | undefined {
    const count = group.members.length;
    return count === 0 ? undefined : group.members[p % count];
  }

  /** Drops what every group has handled; with no group left, what is over the retention. */
  private trim(state: MemoryTopic, p: number): void {
    const partition = state.partitions[p];
    if (state.groups.size === 0) return this.retain(partition);
    let lowest = Infinity;
    for (const group of state.groups.values()) lowest = Math.min(lowest, group.committed[p]);
    this.drop(partition, lowest - partition.base);
  }

  /** Drops the oldest records of a partition nobody reads while it is over the retention, never the newest. */
  private retain(partition: Partition): void {
    let drop = 0;
    let bytes = partition.totalBytes;
    while (drop < partition.records.length - 1 && bytes > this.unreadRetentionBytes) bytes -= partition.bytes[drop++];
    this.drop(partition, drop);
  }

  private drop(partition: Partition, count: number): void {
    if (count <= 0) return;
    partition.records.splice(0, count);
    for (const bytes of partition.bytes.splice(0, count)) partition.totalBytes -= bytes;
    partition.base += count;
  }
}

/** Same key, same partition, as with Kafka's partitioner (not the same hash function). */
function partitionFor(key: string, partitions: number): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (Math.imul(31, hash) + key.charCodeAt(i)) | 0;
  return Math.abs(hash) % partitions;
}

/**
 * The value in memory of its own. A small Buffer is a slice of one of Node's shared 64 KiB pool
 * slabs, and a record held in a partition keeps its whole slab alive: measured embedded under
 * load, 712 slabs (44.5 MB) were pinned by about as many records (the backlog and the retention of
 * topics nobody reads), most of each slab garbage. The copy also makes the record independent of
 * its publisher's buffer, as on Kafka.
 */
function ownBuffer(value: Buffer): Buffer {
  if (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength) return value;
  const copy = Buffer.allocUnsafeSlow(value.byteLength);
  value.copy(copy);
  return copy;
}
