import { Module } from '@nestjs/common';
import { PipelineModule } from '@hookline/pipeline';
import { MatchMessageUseCase } from './match-message.use-case';
import { MessageReceivedConsumer } from './message-received.consumer';

/** The matcher: consumes received messages, emits jobs. */
@Module({ imports: [PipelineModule], controllers: [MessageReceivedConsumer], providers: [MatchMessageUseCase] })
export class MatchingModule {}
