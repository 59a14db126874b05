import { DEFAULT_PAGE_SIZE, ExecutionFilterDto, PageCursor, PageLimit } from '../../messages/dto/history-filter.dto';

export class ListExecutionsQueryDto extends ExecutionFilterDto {
  @PageLimit()
  limit: number = DEFAULT_PAGE_SIZE;

  /** `nextCursor` of the previous page: the id of its last (oldest) execution. */
  @PageCursor()
  cursor?: string;
}
