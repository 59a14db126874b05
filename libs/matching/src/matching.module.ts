import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { PipelineModule } from '@hookline/pipeline';
import { MatchMessageUseCase } from './match-message.use-case';
import { MessageReceivedConsumer } from './message-received.consumer';

/** The matcher: consumes received messages, emits jobs. */
@Module({ imports: [PipelineModule], controllers: [MessageReceivedConsumer], providers: [MatchMessageUseCase] })
export class MatchingModule {
  /**
   * The matcher that runs the jobs of sync runs itself (up to MATCHER_SYNC_RUNS at once) with
   * `jobRunner`, a module that exports JOB_RUNNER (the executors' JobRunnerModule).
   */
  static runningSyncJobs(jobRunner: Type): DynamicModule {
    return { module: MatchingModule, imports: [jobRunner] };
  }
}
