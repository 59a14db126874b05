import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ConsumerGroups, Topics, type MessageReceivedEvent } from '@hookline/contracts';
import { forBus, type BusPatternExtras } from '@hookline/transport';
import { MatchMessageUseCase } from './match-message.use-case';

const extras: BusPatternExtras = { groupId: ConsumerGroups.Matcher, fromBeginning: true };

@Controller()
export class MessageReceivedConsumer {
  constructor(private readonly matchMessage: MatchMessageUseCase) {}

  @EventPattern(Topics.MessagesReceived, extras)
  handle(@Payload() event: MessageReceivedEvent): Promise<void> {
    return forBus(this.matchMessage.execute(event));
  }
}
