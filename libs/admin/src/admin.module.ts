import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ResubmissionModule } from '@hookline/ingestion';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { FunctionsController } from './functions/functions.controller';
import { FunctionsService } from './functions/functions.service';
import { MessagesController } from './messages/messages.controller';
import { MessagesService } from './messages/messages.service';
import { ProvidersController } from './providers/providers.controller';
import { ProvidersService } from './providers/providers.service';

/**
 * The admin REST API under `/api/v1`: providers, functions, messages and resubmission, behind
 * `Authorization: Bearer <ADMIN_TOKEN>`. Needs the global ConfigModule, PersistenceModule and
 * TransportModule of the app that mounts it.
 */
@Module({
  imports: [ResubmissionModule],
  controllers: [ProvidersController, FunctionsController, MessagesController],
  providers: [
    ProvidersService,
    FunctionsService,
    MessagesService,
    AdminTokenGuard,
    // Errors raised before a controller is reached (unparsable body, unknown admin route) only meet global filters.
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
})
export class AdminModule {}
