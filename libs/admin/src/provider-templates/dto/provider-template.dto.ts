import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** A property a template's match script reads. */
@ApiSchema({ name: 'TemplateProperty' })
export class TemplateProperty {
  @ApiProperty()
  name: string;

  /** Stored encrypted and shown as `"****"`, whatever the request says. */
  @ApiProperty()
  secret: boolean;

  @ApiProperty()
  description: string;

  /** A provider cannot be created from the template without it. */
  @ApiProperty()
  required: boolean;
}

/** A ready match script for a known sender, and the properties it needs; answered as it is. */
@ApiSchema({ name: 'ProviderTemplate' })
export class ProviderTemplate {
  @ApiProperty({ example: 'github' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  description: string;

  @ApiProperty()
  matchScript: string;

  @ApiProperty({ type: [TemplateProperty] })
  properties: TemplateProperty[];
}
