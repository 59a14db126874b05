export { ADMIN_API_PREFIX } from './admin-api.constants';
export { AdminModule } from './admin.module';
export type { ApiErrorBody } from './errors/api-error';
export { createOpenApiDocument, mountOpenApi, OPENAPI_JSON_PATH, OPENAPI_UI_PATH } from './openapi/openapi';
export { rotateProviderSecrets, type SecretRotation } from './providers/rotate-provider-secrets';
