import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ConsumerGroups, Topics, type ScriptTestRequestEvent } from '@hookline/contracts';
import { forBus, type BusPatternExtras } from '@hookline/transport';
import { RunScriptTestUseCase } from './run-script-test.use-case';

// From the beginning: a test asked for while no executor ran still answers if one starts in time.
const extras: BusPatternExtras = { groupId: ConsumerGroups.ScriptTester, fromBeginning: true };

@Controller()
export class ScriptTestConsumer {
  constructor(private readonly runScriptTest: RunScriptTestUseCase) {}

  @EventPattern(Topics.ScriptTests, extras)
  handle(@Payload() test: ScriptTestRequestEvent): Promise<void> {
    return forBus(this.runScriptTest.execute(test));
  }
}
