import { Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../admin-controller.decorator';
import { RequireRole } from '../auth/require-role.decorator';
import { ApiErrorBody } from '../errors/api-error';
import { ExecutionPageResponse } from './dto/execution-summary-response.dto';
import { ListExecutionsQueryDto } from './dto/list-executions-query.dto';
import { ExecutionsService } from './executions.service';

@AdminController('executions')
export class ExecutionsController {
  constructor(private readonly executions: ExecutionsService) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List function executions, newest first, with filters' })
  @ApiOkResponse({ type: ExecutionPageResponse })
  @ApiBadRequestResponse({ description: 'A query parameter is not valid; `field` names it.', type: ApiErrorBody })
  list(@Query() query: ListExecutionsQueryDto): Promise<ExecutionPageResponse> {
    return this.executions.list(query);
  }
}
