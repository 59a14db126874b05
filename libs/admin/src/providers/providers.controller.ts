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
import { ApiErrorSchema, ProviderSchema } from '../openapi/schemas';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { CreateProviderDto } from './dto/create-provider.dto';
import type { ProviderResponse } from './dto/provider-response.dto';
import { ReorderProvidersDto } from './dto/reorder-providers.dto';
import { UpdateProviderDto } from './dto/update-provider.dto';
import { ProvidersService } from './providers.service';

const ProviderId = () => Param('id', new ParseIdPipe('provider'));
const IdParam = () => ApiParam({ name: 'id', format: 'uuid', description: 'The provider id' });
const Invalid = () =>
  ApiBadRequestResponse({ description: 'A field is not valid; `field` names it.', type: ApiErrorSchema });
const Unknown = () => ApiNotFoundResponse({ description: 'No such provider.', type: ApiErrorSchema });

@AdminController('providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List providers in evaluation order' })
  @ApiOkResponse({ type: [ProviderSchema] })
  list(): Promise<ProviderResponse[]> {
    return this.providers.list();
  }

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Create a provider (evaluated last), from scratch or from a template' })
  @ApiCreatedResponse({ type: ProviderSchema })
  @Invalid()
  @ApiConflictResponse({ description: 'Another provider has this name (`name_taken`).', type: ApiErrorSchema })
  create(@Body() dto: CreateProviderDto, @TokenName() tokenName: string): Promise<ProviderResponse> {
    return this.providers.create(dto, tokenName);
  }

  @Put('order')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Set the evaluation order: every provider id exactly once, first evaluated first' })
  @ApiOkResponse({ type: [ProviderSchema] })
  @Invalid()
  reorder(@Body() dto: ReorderProvidersDto, @TokenName() tokenName: string): Promise<ProviderResponse[]> {
    return this.providers.reorder(dto.ids, tokenName);
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Get a provider' })
  @IdParam()
  @ApiOkResponse({ type: ProviderSchema })
  @Unknown()
  get(@ProviderId() id: string): Promise<ProviderResponse> {
    return this.providers.get(id);
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change some fields of a provider; `properties` replaces the whole list' })
  @IdParam()
  @ApiOkResponse({ type: ProviderSchema })
  @Invalid()
  @Unknown()
  @ApiConflictResponse({ description: 'Another provider has this name (`name_taken`).', type: ApiErrorSchema })
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
