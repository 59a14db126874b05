import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ADMIN_API_PREFIX } from './admin-api.constants';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { ApiErrorBody } from './errors/api-error';
import { AdminValidationPipe } from './validation/validation.pipe';

/**
 * A controller of the admin API: under `/api/v1`, behind an API token, with its error shape. Each
 * of its routes names the role it needs with `@RequireRole`.
 */
export const AdminController = (path: string): ClassDecorator =>
  applyDecorators(
    Controller(`${ADMIN_API_PREFIX}/${path}`),
    UseGuards(AdminTokenGuard),
    UseFilters(ApiExceptionFilter),
    UsePipes(new AdminValidationPipe()),
    ApiTags(path),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No token, or an unknown one.', type: ApiErrorBody }),
  );
