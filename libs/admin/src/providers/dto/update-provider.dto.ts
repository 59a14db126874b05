import { OmitType, PartialType } from '@nestjs/swagger';
import { ApiFieldDocs } from '../../openapi/mapped-type-docs';
import { CreateProviderDto } from './create-provider.dto';

/**
 * Fields left out keep their value; `properties`, when sent, replaces the whole list. The fields
 * and limits of a creation, each optional: null clears those that may be null (`description`,
 * `dedupHeader`, `dedupWindowSeconds`, `rateLimit`) and is refused for the others.
 */
@ApiFieldDocs<UpdateProviderDto>({
  name: { description: 'Unique.' },
  active: { default: undefined },
  matchScript: { description: undefined },
  properties: { default: undefined, description: 'Replaces the whole list; `"****"` keeps a secret\'s stored value.' },
  dedupHeader: { description: 'Null stops deduplicating.' },
})
export class UpdateProviderDto extends PartialType(OmitType(CreateProviderDto, ['template'] as const), {
  // Absent keeps a value; null is validated, so it clears only where the create DTO allows null.
  skipNullProperties: false,
}) {}
