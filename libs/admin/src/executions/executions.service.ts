import { Injectable } from '@nestjs/common';
import { HistoryStore } from '@hookline/persistence';
import { toHistoryFilter } from '../messages/dto/history-filter.dto';
import { toExecutionSummaryResponse, type ExecutionPageResponse } from './dto/execution-summary-response.dto';
import type { ListExecutionsQueryDto } from './dto/list-executions-query.dto';

/** Function executions on their own, newest first: one line per execution, as FlexDeploy 7 lists them. */
@Injectable()
export class ExecutionsService {
  constructor(private readonly history: HistoryStore) {}

  async list(query: ListExecutionsQueryDto): Promise<ExecutionPageResponse> {
    const page = await this.history.executions(toHistoryFilter(query), { cursor: query.cursor, limit: query.limit });
    return { items: page.items.map(toExecutionSummaryResponse), nextCursor: page.nextCursor };
  }
}
