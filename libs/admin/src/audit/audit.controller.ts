import { Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AuditStore } from '@hookline/persistence';
import { AdminController } from '../admin-controller.decorator';
import { RequireRole } from '../auth/require-role.decorator';
import { ApiErrorBody } from '../errors/api-error';
import { AuditPageResponse, toAuditEntryResponse } from './dto/audit-entry-response.dto';
import { ListAuditQueryDto } from './dto/list-audit-query.dto';

@AdminController('audit')
export class AuditController {
  constructor(private readonly audit: AuditStore) {}

  @Get()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Configuration changes, token changes and resubmissions, newest first' })
  @ApiOkResponse({ type: AuditPageResponse })
  @ApiBadRequestResponse({ description: 'A query parameter is not valid; `field` names it.', type: ApiErrorBody })
  async list(@Query() query: ListAuditQueryDto): Promise<AuditPageResponse> {
    const page = await this.audit.list(
      { action: query.action, targetId: query.targetId?.toLowerCase() },
      { cursor: query.cursor, limit: query.limit },
    );
    return { items: page.items.map(toAuditEntryResponse), nextCursor: page.nextCursor };
  }
}
