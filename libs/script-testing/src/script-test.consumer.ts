import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ConsumerGroups, Topics, type ScriptTestRequestEvent } from '@hookline/contracts';
import { BusConsumer, defineConsumer, forBus } from '@hookline/transport';
import { RunScriptTestUseCase } from './run-script-test.use-case';

const SCRIPT_TESTER_CONSUMER = defineConsumer({
  topic: Topics.ScriptTests,
  groupId: ConsumerGroups.ScriptTester,
  // From the beginning: a test asked for while no executor ran still answers if one starts in time.
  fromBeginning: true,
  // The executors run script tests next to jobs, with the same limit of scripts at once.
  concurrency: (config) => config.executor.concurrency,
});

@Controller()
export class ScriptTestConsumer {
  constructor(private readonly runScriptTest: RunScriptTestUseCase) {}

  @BusConsumer(SCRIPT_TESTER_CONSUMER)
  handle(@Payload() test: ScriptTestRequestEvent): Promise<void> {
    return forBus(this.runScriptTest.execute(test));
  }
}
