/** A record handed to a handler, as the window knows it. */
export interface Ticket {
  readonly partition: number;
  readonly offset: bigint;
  /** The partition's generation when the record started; see OffsetWindow.reassigned. */
  readonly generation: number;
}

interface PartitionState {
  generation: number;
  /** Offsets started in this generation, in order, not yet below the watermark. */
  started: bigint[];
  finished: Set<bigint>;
  /** Records running, of any assignment: they all take a slot. */
  running: number;
  /** Next offset to commit (one past the last record handled with all before it), once known. */
  watermark: bigint | null;
  committed: bigint | null;
}

/**
 * The records of one consumer's partitions that handlers hold, so that a partition's next records
 * can start while earlier ones run, without committing past a record that has not finished: the
 * committable offset of a partition is one past the longest run of finished records from the
 * first one started. At most `limit` records of a partition run at once (records of an earlier
 * assignment included, until they finish).
 */
export class OffsetWindow {
  private readonly partitions = new Map<number, PartitionState>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly limit: number) {}

  /** True while `partition` has no free slot. */
  full(partition: number): boolean {
    return this.state(partition).running >= this.limit;
  }

  /** Records running, in all partitions. */
  get running(): number {
    let running = 0;
    for (const state of this.partitions.values()) running += state.running;
    return running;
  }

  /** Takes a slot for the record at `offset`; offsets of a generation must start in increasing order. */
  start(partition: number, offset: bigint): Ticket {
    const state = this.state(partition);
    state.running++;
    state.started.push(offset);
    return { partition, offset, generation: state.generation };
  }

  /** Frees the ticket's slot; a record of the current generation that finished counts for the watermark. */
  finish(ticket: Ticket, handled: boolean): void {
    const state = this.state(ticket.partition);
    state.running--;
    if (handled && ticket.generation === state.generation) {
      state.finished.add(ticket.offset);
      while (state.started.length > 0 && state.finished.delete(state.started[0])) {
        state.watermark = state.started.shift()! + 1n;
      }
    }
    for (const wake of [...this.waiters]) wake();
  }

  /** False once the assignment changed after the ticket's record started. */
  current(ticket: Ticket): boolean {
    return ticket.generation === this.state(ticket.partition).generation;
  }

  /** Forgets every partition's progress, committed or not: the group's assignment changed. */
  reassigned(): void {
    for (const state of this.partitions.values()) {
      state.generation++;
      state.started = [];
      state.finished.clear();
      state.watermark = null;
      state.committed = null;
    }
  }

  /** Offsets to commit (the next record to read, per partition) that moved since the last call. */
  takeCommittable(): Array<{ partition: number; offset: string }> {
    const offsets: Array<{ partition: number; offset: string }> = [];
    for (const [partition, state] of this.partitions) {
      if (state.watermark === null || state.watermark === state.committed) continue;
      state.committed = state.watermark;
      offsets.push({ partition, offset: state.watermark.toString() });
    }
    return offsets;
  }

  /** Offsets taken by takeCommittable whose commit failed: the next call returns them again. */
  uncommitted(offsets: Array<{ partition: number; offset: string }>): void {
    for (const { partition, offset } of offsets) {
      const state = this.state(partition);
      if (state.committed === BigInt(offset)) state.committed = null;
    }
  }

  /** Resolves once a slot frees anywhere, or after `ms`. */
  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  private state(partition: number): PartitionState {
    let state = this.partitions.get(partition);
    if (!state) {
      state = { generation: 0, started: [], finished: new Set(), running: 0, watermark: null, committed: null };
      this.partitions.set(partition, state);
    }
    return state;
  }
}
