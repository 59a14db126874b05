import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ADMIN_API_PREFIX } from './admin-api.constants';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { AdminValidationPipe } from './validation/validation.pipe';

/** A controller of the admin API: under `/api/v1`, behind the admin token, with its error shape. */
export const AdminController = (path: string): ClassDecorator =>
  applyDecorators(
    Controller(`${ADMIN_API_PREFIX}/${path}`),
    UseGuards(AdminTokenGuard),
    UseFilters(ApiExceptionFilter),
    UsePipes(new AdminValidationPipe()),
  );
