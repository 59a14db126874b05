import { Get, Header, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminController } from '../admin-controller.decorator';
import { CallerToken } from '../auth/caller.decorator';
import type { Caller } from '../auth/admin-token.guard';
import { withDetailsIf } from '../auth/message-details';
import { RequireRole } from '../auth/require-role.decorator';
import { TokenName } from '../auth/token-name.decorator';
import { ApiErrorBody } from '../errors/api-error';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { ListMessagesQueryDto } from './dto/list-messages-query.dto';
import { MessageDetailResponse, MessagePageResponse, ResubmitResponse } from './dto/message-response.dto';
import { MessageStatsQueryDto, MessageStatsResponse } from './dto/message-stats.dto';
import { MessagesService } from './messages.service';

const MessageId = () => Param('id', new ParseIdPipe('message'));
const IdParam = () => ApiParam({ name: 'id', format: 'uuid', description: 'The message id' });
const Unknown = () => ApiNotFoundResponse({ description: 'No such message.', type: ApiErrorBody });

@AdminController('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List messages, newest first, with filters' })
  @ApiOkResponse({ type: MessagePageResponse })
  list(@Query() query: ListMessagesQueryDto): Promise<MessagePageResponse> {
    return this.messages.list(query);
  }

  @Get('stats')
  @RequireRole('viewer')
  @ApiOperation({
    summary: 'Count messages per status over a time range, in at most 60 equal buckets',
    description: 'Messages received from `from` (inclusive) to `to` (exclusive), by their current status.',
  })
  @ApiOkResponse({ type: MessageStatsResponse })
  stats(@Query() query: MessageStatsQueryDto): Promise<MessageStatsResponse> {
    return this.messages.stats(query);
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({
    summary: 'Get a message with its match log and the executions of every run',
    description: '`headers` and `query` are present only for tokens with the `details` permission.',
  })
  @IdParam()
  @ApiOkResponse({ type: MessageDetailResponse })
  @Unknown()
  async get(@MessageId() id: string, @CallerToken() caller: Caller): Promise<MessageDetailResponse> {
    return withDetailsIf(caller.details, await this.messages.get(id));
  }

  @Get(':id/payload')
  @RequireRole('viewer', { details: true })
  @ApiOperation({ summary: "Get a message's body as received, with its content type" })
  @IdParam()
  @ApiProduces('*/*')
  @ApiOkResponse({ description: 'The body, byte for byte.', schema: { type: 'string', format: 'binary' } })
  @Unknown()
  // The body is whatever the sender posted: never let a browser run it on the admin API's origin.
  @Header('x-content-type-options', 'nosniff')
  @Header('content-security-policy', 'sandbox')
  async payload(@MessageId() id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const { contentType, body } = await this.messages.payload(id);
    void reply.header('content-type', contentType ?? 'application/octet-stream');
    return body;
  }

  @Post(':id/resubmit')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Run a finished message again with the current configuration' })
  @IdParam()
  @ApiAcceptedResponse({ type: ResubmitResponse })
  @Unknown()
  @ApiConflictResponse({ description: 'The message is still being processed (`message_busy`).', type: ApiErrorBody })
  resubmit(@MessageId() id: string, @TokenName() tokenName: string): Promise<ResubmitResponse> {
    return this.messages.resubmit(id, tokenName);
  }
}
