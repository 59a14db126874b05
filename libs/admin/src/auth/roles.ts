import { API_TOKEN_ROLES, type ApiTokenRole } from '@hookline/persistence';

/**
 * `viewer` reads; `operator` also resubmits; `admin` also changes configuration and tokens. Seeing
 * message headers, query strings and payloads is a separate permission (`details`).
 */
export type Role = ApiTokenRole;
export const ROLES: readonly Role[] = API_TOKEN_ROLES;

/** Whether a token holding `held` may use a route that needs `required`. */
export const roleAllows = (held: Role, required: Role): boolean => ROLES.indexOf(held) >= ROLES.indexOf(required);
