import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeadLetterStore } from '@hookline/persistence';
import { BUS, type Bus } from '@hookline/transport';
import { writeAudit } from '../audit/audit-trail';
import { ConflictError, NotFoundError } from '../errors/api-error';
import { MessagesService } from '../messages/messages.service';
import type { DeadLetterRetryResponse } from './dto/dead-letter-response.dto';

/** Dead letters of every consumer group, and their retry. */
@Injectable()
export class DeadLettersService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(BUS) private readonly bus: Bus,
    private readonly deadLetters: DeadLetterStore,
    private readonly messages: MessagesService,
  ) {}

  list(page: { cursor?: string; limit: number }, filter: { messageId?: string }) {
    return this.deadLetters.list(page, filter);
  }

  async get(id: string) {
    const record = await this.deadLetters.get(id);
    if (!record) throw new NotFoundError('dead letter', id);
    return record;
  }

  /**
   * A dead letter about a message resubmits that message (its run ended FAILED when it was
   * dead-lettered; the new run uses the current configuration and code). Any other record is
   * published again to its topic as it was. Either way it is marked retried, once.
   */
  async retry(id: string, tokenName: string): Promise<DeadLetterRetryResponse> {
    const record = await this.get(id);
    if (record.retriedAt) {
      throw new ConflictError(
        'already_retried',
        `dead letter ${id} was retried by ${record.retriedBy} at ${record.retriedAt}`,
      );
    }
    let response: DeadLetterRetryResponse;
    if (record.messageId) {
      // Audited as a resubmission of the message by MessagesService.
      const { run } = await this.messages.resubmit(record.messageId, tokenName);
      response = { id, action: 'resubmitted', run };
    } else {
      await this.bus.publish(record.sourceTopic, [
        {
          key: record.key ?? id,
          value: Buffer.from(record.value ?? '', 'base64'),
          headers: record.headers,
        },
      ]);
      response = { id, action: 'republished' };
    }
    await this.deadLetters.markRetried(id, tokenName);
    await writeAudit(this.db.manager, tokenName, {
      action: 'deadletter.retry',
      targetType: 'deadletter',
      targetId: id,
      before: { retriedAt: null },
      after: response,
    });
    return response;
  }
}
