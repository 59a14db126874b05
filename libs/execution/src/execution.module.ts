import { Module } from '@nestjs/common';
import { PipelineModule } from '@hookline/pipeline';
import { ExecuteJobUseCase } from './execute-job.use-case';
import { JobConsumer } from './job.consumer';
import { RetryRelay } from './retry-relay';
import { HttpEgress } from './side-effects/http-egress';
import { KafkaPublisher } from './side-effects/kafka-publisher';

/** An executor: consumes jobs in the executor group, runs function scripts, records executions. */
@Module({
  imports: [PipelineModule],
  controllers: [JobConsumer],
  providers: [ExecuteJobUseCase, KafkaPublisher, HttpEgress, RetryRelay],
})
export class ExecutionModule {}
