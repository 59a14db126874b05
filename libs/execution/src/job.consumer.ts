import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ConsumerGroups, Topics, type JobEvent } from '@hookline/contracts';
import { BusConsumer, defineConsumer, forBus } from '@hookline/transport';
import { ExecuteJobUseCase } from './execute-job.use-case';

const EXECUTOR_CONSUMER = defineConsumer({
  topic: Topics.Jobs,
  groupId: ConsumerGroups.Executor,
  fromBeginning: true,
  concurrency: (config) => config.executor.concurrency,
});

@Controller()
export class JobConsumer {
  constructor(private readonly executeJob: ExecuteJobUseCase) {}

  @BusConsumer(EXECUTOR_CONSUMER)
  handle(@Payload() job: JobEvent): Promise<void> {
    return forBus(this.executeJob.execute(job));
  }
}
