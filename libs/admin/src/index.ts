export { ADMIN_API_PREFIX } from './admin-api.constants';
export { AdminModule } from './admin.module';
export type { ApiErrorBody } from './errors/api-error';
