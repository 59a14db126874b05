import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AdminRequest, Caller } from './admin-token.guard';

/** The token that authenticated the request: its name, role and whether it may see details. */
export const CallerToken = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AdminRequest>().adminToken;
  if (!caller) throw new Error('CallerToken used on a route without AdminTokenGuard');
  return caller;
});
