import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ConsumerGroups, Topics, type MessageReceivedEvent } from '@hookline/contracts';
import { BusConsumer, defineConsumer, forBus } from '@hookline/transport';
import { MatchMessageUseCase } from './match-message.use-case';

const MATCHER_CONSUMER = defineConsumer({
  topic: Topics.MessagesReceived,
  groupId: ConsumerGroups.Matcher,
  fromBeginning: true,
  concurrency: (config) => config.matcher.concurrency,
});

@Controller()
export class MessageReceivedConsumer {
  constructor(private readonly matchMessage: MatchMessageUseCase) {}

  @BusConsumer(MATCHER_CONSUMER)
  handle(@Payload() event: MessageReceivedEvent): Promise<void> {
    return forBus(this.matchMessage.execute(event));
  }
}
