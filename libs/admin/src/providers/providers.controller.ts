import { Body, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put } from '@nestjs/common';
import { AdminController } from '../admin-controller.decorator';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { CreateProviderDto } from './dto/create-provider.dto';
import type { ProviderResponse } from './dto/provider-response.dto';
import { ReorderProvidersDto } from './dto/reorder-providers.dto';
import { UpdateProviderDto } from './dto/update-provider.dto';
import { ProvidersService } from './providers.service';

const ProviderId = () => Param('id', new ParseIdPipe('provider'));

@AdminController('providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Get()
  list(): Promise<ProviderResponse[]> {
    return this.providers.list();
  }

  @Post()
  create(@Body() dto: CreateProviderDto): Promise<ProviderResponse> {
    return this.providers.create(dto);
  }

  @Put('order')
  reorder(@Body() dto: ReorderProvidersDto): Promise<ProviderResponse[]> {
    return this.providers.reorder(dto.ids);
  }

  @Get(':id')
  get(@ProviderId() id: string): Promise<ProviderResponse> {
    return this.providers.get(id);
  }

  @Patch(':id')
  update(@ProviderId() id: string, @Body() dto: UpdateProviderDto): Promise<ProviderResponse> {
    return this.providers.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@ProviderId() id: string): Promise<void> {
    return this.providers.remove(id);
  }
}
