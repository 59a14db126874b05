import { Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { AdminController } from '../admin-controller.decorator';
import { RequireRole } from '../auth/require-role.decorator';
import { ApiErrorBody } from '../errors/api-error';
import { ProviderTemplate } from './dto/provider-template.dto';
import { ProviderTemplatesService } from './provider-templates.service';

@AdminController('provider-templates')
export class ProviderTemplatesController {
  constructor(private readonly templates: ProviderTemplatesService) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List the ready match scripts for known senders' })
  @ApiOkResponse({ type: [ProviderTemplate] })
  list(): readonly ProviderTemplate[] {
    return this.templates.list();
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Get a provider template' })
  @ApiParam({ name: 'id', description: 'The template id', example: 'github' })
  @ApiOkResponse({ type: ProviderTemplate })
  @ApiNotFoundResponse({ description: 'No such template.', type: ApiErrorBody })
  get(@Param('id') id: string): ProviderTemplate {
    return this.templates.get(id);
  }
}
