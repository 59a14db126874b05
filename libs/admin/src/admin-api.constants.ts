/** Every admin route lives under this path; errors below it are answered in the admin API's shape. */
export const ADMIN_API_PREFIX = '/api/v1';
