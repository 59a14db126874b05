import { Module } from '@nestjs/common';
import { PipelineModule } from '@hookline/pipeline';
import { ExecuteJobUseCase } from './execute-job.use-case';
import { JobConsumer } from './job.consumer';

/** An executor: consumes jobs in the executor group, runs function scripts, records executions. */
@Module({ imports: [PipelineModule], controllers: [JobConsumer], providers: [ExecuteJobUseCase] })
export class ExecutionModule {}
