import { Body, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
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
import { CreateProviderDto } from './dto/create-provider.dto';
import { ProviderResponse } from './dto/provider-response.dto';
import { ReorderProvidersDto } from './dto/reorder-providers.dto';
import { UpdateProviderDto } from './dto/update-provider.dto';
import { ProvidersService } from './providers.service';

const ProviderId = () => Param('id', new ParseIdPipe('provider'));
const IdParam = () => ApiParam({ name: 'id', format: 'uuid', description: 'The provider id' });
const Invalid = () =>
  ApiBadRequestResponse({ description: 'A field is not valid; `field` names it.', type: ApiErrorBody });
const Unknown = () => ApiNotFoundResponse({ description: 'No such provider.', type: ApiErrorBody });

@AdminController('providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List providers in evaluation order' })
  @ApiOkResponse({ type: [ProviderResponse] })
  list(): Promise<ProviderResponse[]> {
    return this.providers.list();
  }

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Create a provider (evaluated last), from scratch or from a template' })
  @ApiCreatedResponse({ type: ProviderResponse })
  @Invalid()
  @ApiConflictResponse({ description: 'Another provider has this name (`name_taken`).', type: ApiErrorBody })
  create(@Body() dto: CreateProviderDto, @TokenName() tokenName: string): Promise<ProviderResponse> {
    return this.providers.create(dto, tokenName);
  }

  @Put('order')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Set the evaluation order: every provider id exactly once, first evaluated first' })
  @ApiOkResponse({ type: [ProviderResponse] })
  @Invalid()
  reorder(@Body() dto: ReorderProvidersDto, @TokenName() tokenName: string): Promise<ProviderResponse[]> {
    return this.providers.reorder(dto.ids, tokenName);
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Get a provider' })
  @IdParam()
  @ApiOkResponse({ type: ProviderResponse })
  @Unknown()
  get(@ProviderId() id: string): Promise<ProviderResponse> {
    return this.providers.get(id);
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change some fields of a provider; `properties` replaces the whole list' })
  @IdParam()
  @ApiOkResponse({ type: ProviderResponse })
  @Invalid()
  @Unknown()
  @ApiConflictResponse({ description: 'Another provider has this name (`name_taken`).', type: ApiErrorBody })
  update(
    @ProviderId() id: string,
    @Body() dto: UpdateProviderDto,
    @TokenName() tokenName: string,
  ): Promise<ProviderResponse> {
    return this.providers.update(id, dto, tokenName);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequireRole('admin')
  @ApiOperation({ summary: 'Delete a provider and its functions (stored messages are kept)' })
  @IdParam()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @Unknown()
  remove(@ProviderId() id: string, @TokenName() tokenName: string): Promise<void> {
    return this.providers.remove(id, tokenName);
  }
}
