import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdminTokenGuard } from '@hookline/admin';
import { ApiTokenStore } from '@hookline/persistence';
import { PipelineModule } from '@hookline/pipeline';
import { FunctionScriptTestController, ProviderScriptTestController } from './script-test.controller';
import { ScriptTestService } from './script-test.service';

/**
 * `POST /api/v1/providers/:id/test` and `POST /api/v1/functions/:id/test`: admin routes that run
 * scripts, so they are mounted only where scripts run (the embedded process and the executors),
 * never by the admin API, which may not depend on the sandbox. Same tokens, roles and errors as
 * the admin API. Needs the global ConfigModule and PersistenceModule of the app that mounts it.
 */
@Module({
  imports: [PipelineModule],
  controllers: [ProviderScriptTestController, FunctionScriptTestController],
  providers: [
    ScriptTestService,
    AdminTokenGuard,
    { provide: ApiTokenStore, inject: [DataSource], useFactory: (db: DataSource) => new ApiTokenStore(db) },
  ],
})
export class ScriptTestingModule {}
