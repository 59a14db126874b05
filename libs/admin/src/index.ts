export { ADMIN_API_PREFIX } from './admin-api.constants';
export { AdminModule } from './admin.module';
export type { ApiErrorBody } from './errors/api-error';
export { createOpenApiDocument, mountOpenApi, OPENAPI_JSON_PATH, OPENAPI_UI_PATH } from './openapi/openapi';
export { rotateProviderSecrets, type SecretRotation } from './providers/rotate-provider-secrets';
// For modules that add admin routes from outside this library (the script tests, which need the sandbox).
export { AdminController } from './admin-controller.decorator';
export { AdminTokenGuard, type Caller } from './auth/admin-token.guard';
export { CallerToken } from './auth/caller.decorator';
export { RequireRole } from './auth/require-role.decorator';
export { ForbiddenError, NotFoundError, ScriptSyntaxError, ValidationFailedError } from './errors/api-error';
export { ApiErrorSchema } from './openapi/schemas';
export { ParseIdPipe } from './validation/parse-id.pipe';
