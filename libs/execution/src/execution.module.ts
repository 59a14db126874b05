import { Module } from '@nestjs/common';
import { JOB_RUNNER, PipelineModule } from '@hookline/pipeline';
import { ExecuteJobUseCase } from './execute-job.use-case';
import { JobConsumer } from './job.consumer';
import { RetryRelay } from './retry-relay';
import { HttpEgress } from './side-effects/http-egress';
import { KafkaPublisher } from './side-effects/kafka-publisher';

/** Runs jobs in this process and consumes none: what an executor does with a job, for whoever asks. */
@Module({
  imports: [PipelineModule],
  providers: [ExecuteJobUseCase, KafkaPublisher, HttpEgress, { provide: JOB_RUNNER, useExisting: ExecuteJobUseCase }],
  exports: [ExecuteJobUseCase, JOB_RUNNER],
})
export class JobRunnerModule {}

/** An executor: consumes jobs in the executor group, runs function scripts, records executions. */
@Module({
  imports: [JobRunnerModule],
  controllers: [JobConsumer],
  providers: [RetryRelay],
})
export class ExecutionModule {}
