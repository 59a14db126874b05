import { Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import { AdminController } from '../admin-controller.decorator';
import type { Caller } from '../auth/admin-token.guard';
import { CallerToken } from '../auth/caller.decorator';
import { RequireRole } from '../auth/require-role.decorator';
import { TokenName } from '../auth/token-name.decorator';
import { ApiErrorBody } from '../errors/api-error';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { DeadLettersService } from './dead-letters.service';
import {
  DeadLetterPageResponse,
  DeadLetterResponse,
  DeadLetterRetryResponse,
  toDeadLetterResponse,
} from './dto/dead-letter-response.dto';
import { ListDeadLettersQueryDto } from './dto/list-dead-letters-query.dto';

const DeadLetterId = () => Param('id', new ParseIdPipe('dead letter'));
const IdParam = () => ApiParam({ name: 'id', format: 'uuid', description: 'The dead letter id' });
const Unknown = () => ApiNotFoundResponse({ description: 'No such dead letter.', type: ApiErrorBody });

@AdminController('dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Records consumers gave up on after their bounded redelivery, newest first',
    description: '`headers` and `value` are present only for tokens with the `details` permission.',
  })
  @ApiOkResponse({ type: DeadLetterPageResponse })
  async list(@Query() query: ListDeadLettersQueryDto, @CallerToken() caller: Caller): Promise<DeadLetterPageResponse> {
    const page = await this.deadLetters.list(
      { cursor: query.cursor, limit: query.limit },
      { messageId: query.messageId?.toLowerCase() },
    );
    return { items: page.items.map((d) => toDeadLetterResponse(d, caller.details)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequireRole('operator')
  @ApiOperation({ summary: 'Get a dead letter' })
  @IdParam()
  @ApiOkResponse({ type: DeadLetterResponse })
  @Unknown()
  async get(@DeadLetterId() id: string, @CallerToken() caller: Caller): Promise<DeadLetterResponse> {
    return toDeadLetterResponse(await this.deadLetters.get(id), caller.details);
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Retry a dead letter: resubmit its message, or publish the record again',
    description: 'Audited as `deadletter.retry` (and `message.resubmit` for a resubmission).',
  })
  @IdParam()
  @ApiAcceptedResponse({ type: DeadLetterRetryResponse })
  @Unknown()
  @ApiConflictResponse({
    description: 'Retried already (`already_retried`), or its message is still being processed (`message_busy`).',
    type: ApiErrorBody,
  })
  retry(@DeadLetterId() id: string, @TokenName() tokenName: string): Promise<DeadLetterRetryResponse> {
    return this.deadLetters.retry(id, tokenName);
  }
}
