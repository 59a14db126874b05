import { DEFAULT_PAGE_SIZE, PageCursor, PageLimit } from '../../messages/dto/history-filter.dto';

export class ListResubmissionsQueryDto {
  @PageLimit()
  limit: number = DEFAULT_PAGE_SIZE;

  /** `nextCursor` of the previous page. */
  @PageCursor()
  cursor?: string;
}
