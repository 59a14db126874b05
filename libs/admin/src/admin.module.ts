import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ResubmissionModule } from '@hookline/ingestion';
import {
  ApiTokenStore,
  AuditStore,
  FunctionStore,
  HistoryStore,
  ProviderStore,
  ResubmissionStore,
} from '@hookline/persistence';
import { SecretsModule } from '@hookline/secrets';
import { AuditController } from './audit/audit.controller';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeadLettersService } from './dead-letters/dead-letters.service';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { ExecutionsController } from './executions/executions.controller';
import { ExecutionsService } from './executions/executions.service';
import { FunctionsController } from './functions/functions.controller';
import { FunctionsService } from './functions/functions.service';
import { MessagesController } from './messages/messages.controller';
import { MessagesService } from './messages/messages.service';
import { ProviderTemplatesController } from './provider-templates/provider-templates.controller';
import { ProviderTemplatesService } from './provider-templates/provider-templates.service';
import { ProvidersController } from './providers/providers.controller';
import { ProvidersService } from './providers/providers.service';
import { ResubmissionWorker } from './resubmissions/resubmission.worker';
import { ResubmissionsController } from './resubmissions/resubmissions.controller';
import { ResubmissionsService } from './resubmissions/resubmissions.service';
import { FunctionScriptTestController, ProviderScriptTestController } from './script-tests/script-tests.controller';
import { ScriptTestReplies } from './script-tests/script-test-replies';
import { ScriptTestsService } from './script-tests/script-tests.service';
import { SessionController } from './session/session.controller';
import { TokensController } from './tokens/tokens.controller';
import { TokensService } from './tokens/tokens.service';

/**
 * The admin REST API under `/api/v1`: providers (and their templates), functions, messages,
 * executions and resubmission, API tokens and the audit log, and script tests (run by the executors,
 * over the bus), behind `Authorization: Bearer <token>` (ADMIN_TOKEN, or a token with a role, see
 * RequireRole); and the worker that runs bulk resubmissions in the background. Needs the global ConfigModule, PersistenceModule and
 * TransportModule of the app that mounts it.
 */
@Module({
  imports: [ResubmissionModule, SecretsModule],
  controllers: [
    ProvidersController,
    ProviderTemplatesController,
    FunctionsController,
    MessagesController,
    ExecutionsController,
    ResubmissionsController,
    TokensController,
    AuditController,
    DeadLettersController,
    SessionController,
    ProviderScriptTestController,
    FunctionScriptTestController,
  ],
  providers: [
    ProvidersService,
    ProviderTemplatesService,
    FunctionsService,
    MessagesService,
    ExecutionsService,
    ResubmissionsService,
    ResubmissionWorker,
    TokensService,
    DeadLettersService,
    ScriptTestsService,
    ScriptTestReplies,
    { provide: ApiTokenStore, inject: [DataSource], useFactory: (db: DataSource) => new ApiTokenStore(db) },
    { provide: AuditStore, inject: [DataSource], useFactory: (db: DataSource) => new AuditStore(db) },
    { provide: HistoryStore, inject: [DataSource], useFactory: (db: DataSource) => new HistoryStore(db) },
    { provide: ResubmissionStore, inject: [DataSource], useFactory: (db: DataSource) => new ResubmissionStore(db) },
    { provide: ProviderStore, inject: [DataSource], useFactory: (db: DataSource) => new ProviderStore(db) },
    { provide: FunctionStore, inject: [DataSource], useFactory: (db: DataSource) => new FunctionStore(db) },
    AdminTokenGuard,
    // Errors raised before a controller is reached (unparsable body, unknown admin route) only meet global filters.
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
})
export class AdminModule {}
