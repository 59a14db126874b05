import { Body, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import { AdminController } from '../admin-controller.decorator';
import { RequireRole } from '../auth/require-role.decorator';
import { TokenName } from '../auth/token-name.decorator';
import { ApiErrorBody } from '../errors/api-error';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { CreateResubmissionDto } from './dto/create-resubmission.dto';
import { ListResubmissionsQueryDto } from './dto/list-resubmissions-query.dto';
import { ResubmissionPageResponse, ResubmissionResponse } from './dto/resubmission-response.dto';
import { ResubmissionsService } from './resubmissions.service';

const ResubmissionId = () => Param('id', new ParseIdPipe('resubmission'));
const IdParam = () => ApiParam({ name: 'id', format: 'uuid', description: 'The resubmission id' });
const Unknown = () => ApiNotFoundResponse({ description: 'No such resubmission.', type: ApiErrorBody });

@AdminController('resubmissions')
export class ResubmissionsController {
  constructor(private readonly resubmissions: ResubmissionsService) {}

  /** Accepted: it runs in the background; follow it with `GET /api/v1/resubmissions/:id`. */
  @Post()
  @RequireRole('operator')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Resubmit every message matching a filter, in the background, at a bounded rate' })
  @ApiAcceptedResponse({ type: ResubmissionResponse })
  @ApiBadRequestResponse({ description: 'The filter is empty or not valid; `field` names it.', type: ApiErrorBody })
  create(@Body() dto: CreateResubmissionDto, @TokenName() tokenName: string): Promise<ResubmissionResponse> {
    return this.resubmissions.create(dto, tokenName);
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List bulk resubmissions, newest first' })
  @ApiOkResponse({ type: ResubmissionPageResponse })
  list(@Query() query: ListResubmissionsQueryDto): Promise<ResubmissionPageResponse> {
    return this.resubmissions.list(query);
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Follow a bulk resubmission' })
  @IdParam()
  @ApiOkResponse({ type: ResubmissionResponse })
  @Unknown()
  get(@ResubmissionId() id: string): Promise<ResubmissionResponse> {
    return this.resubmissions.get(id);
  }

  @Post(':id/cancel')
  @RequireRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stop a bulk resubmission that has not finished' })
  @IdParam()
  @ApiOkResponse({ type: ResubmissionResponse })
  @Unknown()
  @ApiConflictResponse({ description: 'It has finished already (`resubmission_finished`).', type: ApiErrorBody })
  cancel(@ResubmissionId() id: string, @TokenName() tokenName: string): Promise<ResubmissionResponse> {
    return this.resubmissions.cancel(id, tokenName);
  }
}
