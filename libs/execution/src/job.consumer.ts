import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ConsumerGroups, RUN_BY_HEADER, Topics, type JobEvent } from '@hookline/contracts';
import { BusConsumer, defineConsumer, forBus, type IncomingRecord } from '@hookline/transport';
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
  async handle(@Payload() job: JobEvent, @Ctx() record: IncomingRecord): Promise<void> {
    // A sync run's job that the matcher runs itself; if that fails, the matcher publishes it again
    // without the header, and a redelivery of the message runs again what it left unfinished.
    if (record.headers[RUN_BY_HEADER] === 'matcher') return;
    return forBus(this.executeJob.execute(job));
  }
}
