import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ConsumerGroups, Topics, type JobEvent } from '@hookline/contracts';
import { forBus, type BusPatternExtras } from '@hookline/transport';
import { ExecuteJobUseCase } from './execute-job.use-case';

const extras: BusPatternExtras = { groupId: ConsumerGroups.Executor, fromBeginning: true };

@Controller()
export class JobConsumer {
  constructor(private readonly executeJob: ExecuteJobUseCase) {}

  @EventPattern(Topics.Jobs, extras)
  handle(@Payload() job: JobEvent): Promise<void> {
    return forBus(this.executeJob.execute(job));
  }
}
