import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AdminRequest } from './admin-token.guard';

/** The name of the token that authenticated the request (`admin` for ADMIN_TOKEN). */
export const TokenName = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const name = context.switchToHttp().getRequest<AdminRequest>().adminTokenName;
  if (!name) throw new Error('TokenName used on a route without AdminTokenGuard');
  return name;
});
