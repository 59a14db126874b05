import { Injectable } from '@nestjs/common';
import { createLogger } from '@hookline/config';
import {
  decodeEvent,
  Topics,
  type DeadLetterEvent,
  type JobEvent,
  type MessageReceivedEvent,
} from '@hookline/contracts';
import { DeadLetterStore, RunStore } from '@hookline/persistence';
import type { DeadLetterHandler } from '@hookline/transport';
import { ReplyPublisher } from './reply-publisher';

/**
 * What the matcher and the executors do with a record they gave up on: keep it where operators
 * can list and retry it, and end what it concerns FAILED with the reason (a message that could not
 * be matched, an execution that could not be run or recorded), answering a waiting sync request.
 */
@Injectable()
export class DeadLetterFinalizer implements DeadLetterHandler {
  private readonly log = createLogger('dead-letters');

  constructor(
    private readonly deadLetters: DeadLetterStore,
    private readonly runs: RunStore,
    private readonly replies: ReplyPublisher,
  ) {}

  async handle(deadLetter: DeadLetterEvent): Promise<void> {
    await this.deadLetters.record(deadLetter);
    const reason = `dead-lettered after ${deadLetter.attempts} attempts (${deadLetter.deadLetterId}): ${deadLetter.error}`;
    const value = deadLetter.value === null ? null : Buffer.from(deadLetter.value, 'base64');
    let event: MessageReceivedEvent | JobEvent;
    try {
      event = decodeEvent(value);
    } catch {
      return; // unreadable: nothing to end but the record itself, which is kept
    }
    if (deadLetter.sourceTopic === Topics.MessagesReceived) {
      const { messageId, run, replyTo } = event as MessageReceivedEvent;
      if (await this.runs.failRun(messageId, run, `could not be matched: ${reason}`)) {
        this.log.warn({ messageId, run, deadLetterId: deadLetter.deadLetterId }, 'message FAILED: dead-lettered');
      }
      await this.replies.replyToWaiters(messageId, run, { replyTo: replyTo?.correlationId ?? null });
    } else if (deadLetter.sourceTopic === Topics.Jobs) {
      const job = event as JobEvent;
      const finished = await this.runs.failExecution({
        id: job.executionId,
        messageId: job.messageId,
        run: job.run,
        error: `could not be run: ${reason}`,
      });
      if (finished) {
        this.log.warn(
          { messageId: job.messageId, executionId: job.executionId, deadLetterId: deadLetter.deadLetterId },
          'execution FAILED: dead-lettered',
        );
      }
      if (finished?.runFinished) await this.replies.replyToWaiters(job.messageId, job.run, finished);
    }
  }
}
