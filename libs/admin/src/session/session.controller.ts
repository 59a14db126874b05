import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../admin-controller.decorator';
import type { Caller } from '../auth/admin-token.guard';
import { CallerToken } from '../auth/caller.decorator';
import { RequireRole } from '../auth/require-role.decorator';
import { SessionResponse, toSessionResponse } from './dto/session-response.dto';

@AdminController('session')
export class SessionController {
  @Get()
  @RequireRole('viewer')
  @ApiOperation({
    summary: "The calling token's name, role and details permission (the console uses it to hide what it may not do)",
  })
  @ApiOkResponse({ type: SessionResponse })
  show(@CallerToken() caller: Caller): SessionResponse {
    return toSessionResponse(caller);
  }
}
