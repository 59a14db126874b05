import { DEFAULT_PAGE_SIZE, MessageFilterDto, PageCursor, PageLimit } from './history-filter.dto';

export class ListMessagesQueryDto extends MessageFilterDto {
  @PageLimit()
  limit: number = DEFAULT_PAGE_SIZE;

  /** `nextCursor` of the previous page: the id of its last (oldest) message. */
  @PageCursor()
  cursor?: string;
}
