import { Body, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
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
import { CreateFunctionDto } from './dto/create-function.dto';
import { FunctionResponse } from './dto/function-response.dto';
import { ListFunctionsQueryDto } from './dto/list-functions-query.dto';
import { UpdateFunctionDto } from './dto/update-function.dto';
import { FunctionsService } from './functions.service';

const FunctionId = () => Param('id', new ParseIdPipe('function'));
const IdParam = () => ApiParam({ name: 'id', format: 'uuid', description: 'The function id' });
const Invalid = () =>
  ApiBadRequestResponse({ description: 'A field is not valid; `field` names it.', type: ApiErrorBody });
const Unknown = () => ApiNotFoundResponse({ description: 'No such function.', type: ApiErrorBody });

@AdminController('functions')
export class FunctionsController {
  constructor(private readonly functions: FunctionsService) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List functions, oldest first, optionally of one provider' })
  @ApiOkResponse({ type: [FunctionResponse] })
  @Invalid()
  list(@Query() query: ListFunctionsQueryDto): Promise<FunctionResponse[]> {
    return this.functions.list(query);
  }

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Create a function of a provider for a URI' })
  @ApiCreatedResponse({ type: FunctionResponse })
  @Invalid()
  create(@Body() dto: CreateFunctionDto, @TokenName() tokenName: string): Promise<FunctionResponse> {
    return this.functions.create(dto, tokenName);
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Get a function' })
  @IdParam()
  @ApiOkResponse({ type: FunctionResponse })
  @Unknown()
  get(@FunctionId() id: string): Promise<FunctionResponse> {
    return this.functions.get(id);
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change some fields of a function (it stays with its provider)' })
  @IdParam()
  @ApiOkResponse({ type: FunctionResponse })
  @Invalid()
  @Unknown()
  update(
    @FunctionId() id: string,
    @Body() dto: UpdateFunctionDto,
    @TokenName() tokenName: string,
  ): Promise<FunctionResponse> {
    return this.functions.update(id, dto, tokenName);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequireRole('admin')
  @ApiOperation({ summary: 'Delete a function' })
  @IdParam()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @Unknown()
  remove(@FunctionId() id: string, @TokenName() tokenName: string): Promise<void> {
    return this.functions.remove(id, tokenName);
  }
}
