import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThan, type FindOptionsWhere } from 'typeorm';
import { ResubmitService } from '@hookline/ingestion';
import { ExecutionEntity, MessageBusyError, MessageEntity, toBuffer } from '@hookline/persistence';
import { ConflictError, NotFoundError } from '../errors/api-error';
import type { ListMessagesQueryDto } from './dto/list-messages-query.dto';
import {
  toMessageDetailResponse,
  toMessageSummaryResponse,
  type MessageDetailResponse,
  type MessagePageResponse,
} from './dto/message-response.dto';

/** Every column but the body, which only `/payload` reads. */
const WITHOUT_BODY = {
  id: true,
  method: true,
  uri: true,
  query: true,
  headers: true,
  remoteAddr: true,
  contentType: true,
  receivedAt: true,
  status: true,
  providerId: true,
  providerName: true,
  message: true,
  matchLog: true,
  run: true,
} as const;

/** Stored messages, newest first, with their executions; and their resubmission. */
@Injectable()
export class MessagesService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly resubmitter: ResubmitService,
  ) {}

  /**
   * Ids are UUIDv7, so id order is arrival order: a page is the next `limit` ids below the cursor,
   * found through the primary key without counting anything.
   */
  async list(query: ListMessagesQueryDto): Promise<MessagePageResponse> {
    const where: FindOptionsWhere<MessageEntity> = {};
    if (query.cursor) where.id = LessThan(query.cursor);
    if (query.status) where.status = query.status;
    if (query.providerId) where.providerId = query.providerId;
    if (query.uri !== undefined) where.uri = query.uri;
    const rows = await this.db.getRepository(MessageEntity).find({
      select: {
        id: true,
        method: true,
        uri: true,
        receivedAt: true,
        status: true,
        providerId: true,
        providerName: true,
        message: true,
        remoteAddr: true,
      },
      where,
      order: { id: 'DESC' },
      // One more than asked tells whether another page follows.
      take: query.limit + 1,
    });
    const items = rows.slice(0, query.limit).map(toMessageSummaryResponse);
    const nextCursor = rows.length > query.limit ? items[items.length - 1].id : null;
    return { items, nextCursor };
  }

  async get(id: string): Promise<MessageDetailResponse> {
    const message = await this.db.getRepository(MessageEntity).findOne({ select: WITHOUT_BODY, where: { id } });
    if (!message) throw new NotFoundError('message', id);
    const executions = await this.db.getRepository(ExecutionEntity).find({
      where: { messageId: id },
      order: { run: 'ASC', id: 'ASC' },
    });
    return toMessageDetailResponse(message, executions);
  }

  /** The body exactly as received, with the content type it came with. */
  async payload(id: string): Promise<{ contentType: string | null; body: Buffer }> {
    const message = await this.db
      .getRepository(MessageEntity)
      .findOne({ select: { id: true, contentType: true, body: true }, where: { id } });
    if (!message) throw new NotFoundError('message', id);
    return { contentType: message.contentType, body: toBuffer(message.body) };
  }

  /** Starts the next run of a finished message with the current configuration. */
  async resubmit(id: string, resubmittedBy: string): Promise<{ messageId: string; run: number }> {
    let run: number | null;
    try {
      run = await this.resubmitter.resubmit(id, resubmittedBy);
    } catch (error) {
      if (error instanceof MessageBusyError) throw new ConflictError('message_busy', error.message);
      throw error;
    }
    if (run === null) throw new NotFoundError('message', id);
    return { messageId: id, run };
  }
}
