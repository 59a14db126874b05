import { Module } from '@nestjs/common';
import { PipelineModule } from '@hookline/pipeline';
import { RunScriptTestUseCase } from './run-script-test.use-case';
import { ScriptTestConsumer } from './script-test.consumer';

/**
 * The executors' side of `POST /api/v1/providers/:id/test` and `POST /api/v1/functions/:id/test`:
 * consumes `hookline.script-tests.v1` in the `hookline-script-tester` group, runs each script in
 * the sandbox and answers on `hookline.script-test-results.v1`. The admin API, which may not
 * depend on the sandbox, serves the routes and waits for the answer. Mounted by the executor and
 * the embedded process; needs their global ConfigModule, PersistenceModule and TransportModule.
 */
@Module({
  imports: [PipelineModule],
  controllers: [ScriptTestConsumer],
  providers: [RunScriptTestUseCase],
})
export class ScriptTestingModule {}
