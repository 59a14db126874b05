import { Get, Header, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AdminController } from '../admin-controller.decorator';
import { TokenName } from '../auth/token-name.decorator';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { ListMessagesQueryDto } from './dto/list-messages-query.dto';
import type { MessageDetailResponse, MessagePageResponse } from './dto/message-response.dto';
import { MessagesService } from './messages.service';

const MessageId = () => Param('id', new ParseIdPipe('message'));

@AdminController('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  list(@Query() query: ListMessagesQueryDto): Promise<MessagePageResponse> {
    return this.messages.list(query);
  }

  @Get(':id')
  get(@MessageId() id: string): Promise<MessageDetailResponse> {
    return this.messages.get(id);
  }

  @Get(':id/payload')
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
  resubmit(@MessageId() id: string, @TokenName() tokenName: string): Promise<{ messageId: string; run: number }> {
    return this.messages.resubmit(id, tokenName);
  }
}
