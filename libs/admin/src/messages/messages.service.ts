import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ResubmitService } from '@hookline/ingestion';
import { HistoryStore, MessageBusyError, type MessageEntity } from '@hookline/persistence';
import { writeAudit } from '../audit/audit-trail';
import { ConflictError, NotFoundError } from '../errors/api-error';
import { toHistoryFilter } from './dto/history-filter.dto';
import type { ListMessagesQueryDto } from './dto/list-messages-query.dto';
import {
  DEFAULT_STATS_RANGE_MS,
  emptyStatusCounts,
  type MessageStatsQueryDto,
  type MessageStatsResponse,
  type MessageStatusCounts,
} from './dto/message-stats.dto';
import {
  toMessageDetailResponse,
  toMessageSummaryResponse,
  type MessageDetailResponse,
  type MessagePageResponse,
  type ResubmitResponse,
} from './dto/message-response.dto';
import { bucketLength } from './stats-buckets';

/** Stored messages, newest first, with their executions; and their resubmission. */
@Injectable()
export class MessagesService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly history: HistoryStore,
    private readonly resubmitter: ResubmitService,
  ) {}

  /** Newest first, a keyset page at a time: see HistoryStore and messagePageQuery. */
  async list(query: ListMessagesQueryDto): Promise<MessagePageResponse> {
    const page = await this.history.messages(toHistoryFilter(query), { cursor: query.cursor, limit: query.limit });
    return { items: page.items.map(toMessageSummaryResponse), nextCursor: page.nextCursor };
  }

  /** Messages per status in equal buckets from `from` to `to` (the last 24 hours by default). */
  async stats(query: MessageStatsQueryDto, now = new Date()): Promise<MessageStatsResponse> {
    const to = query.to === undefined ? now : new Date(query.to);
    const from = query.from === undefined ? new Date(to.getTime() - DEFAULT_STATS_RANGE_MS) : new Date(query.from);
    const bucketMs = bucketLength(to.getTime() - from.getTime());
    const buckets = Array.from({ length: Math.ceil((to.getTime() - from.getTime()) / bucketMs) }, (_, index) => ({
      start: new Date(from.getTime() + index * bucketMs).toISOString(),
      counts: emptyStatusCounts(),
    }));
    const counts = await this.history.statusCounts(
      { from, to, providerId: query.providerId?.toLowerCase(), uri: query.uri },
      bucketMs,
    );
    for (const { bucket, status, count } of counts) {
      const target = buckets[bucket]?.counts;
      if (target && status in target) target[status as keyof MessageStatusCounts] = count;
    }
    return { from: from.toISOString(), to: to.toISOString(), bucketSeconds: bucketMs / 1000, buckets };
  }

  async get(id: string): Promise<MessageDetailResponse> {
    const message = await this.history.message(id);
    if (!message) throw new NotFoundError('message', id);
    const executions = await this.history.executionsOf(id);
    // The detail reads no body (nor the run's bookkeeping): what toMessageDetailResponse uses of a message.
    return toMessageDetailResponse(message as MessageEntity, executions);
  }

  /** The body exactly as received, with the content type it came with. */
  async payload(id: string): Promise<{ contentType: string | null; body: Buffer }> {
    const payload = await this.history.payload(id);
    if (!payload) throw new NotFoundError('message', id);
    return payload;
  }

  /** Starts the next run of a finished message with the current configuration. */
  async resubmit(id: string, resubmittedBy: string): Promise<ResubmitResponse> {
    let run: number | null;
    try {
      run = await this.resubmitter.resubmit(id, resubmittedBy);
    } catch (error) {
      if (error instanceof MessageBusyError) throw new ConflictError('message_busy', error.message);
      throw error;
    }
    if (run === null) throw new NotFoundError('message', id);
    // The run was started by one statement of the message store, not a transaction of ours: recorded right after.
    await writeAudit(this.db.manager, resubmittedBy, {
      action: 'message.resubmit',
      targetType: 'message',
      targetId: id,
      before: { run: run - 1 },
      after: { run },
    });
    return { messageId: id, run };
  }
}
