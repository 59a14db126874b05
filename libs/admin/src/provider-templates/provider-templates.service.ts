import { Injectable } from '@nestjs/common';
import { NotFoundError, ValidationFailedError } from '../errors/api-error';
import type { PropertyInput } from '../providers/provider-properties';
import type { ProviderTemplate } from './dto/provider-template.dto';
import { PROVIDER_TEMPLATES } from './provider-templates';

/** What a provider created from a template starts with. */
export interface TemplatedProvider {
  name: string;
  matchScript: string;
  properties: PropertyInput[];
}

/** The ready match scripts for known senders, and providers made from them. */
@Injectable()
export class ProviderTemplatesService {
  private readonly byId = new Map(PROVIDER_TEMPLATES.map((template) => [template.id, template]));

  list(): readonly ProviderTemplate[] {
    return PROVIDER_TEMPLATES;
  }

  get(id: string): ProviderTemplate {
    const template = this.byId.get(id);
    if (!template) throw new NotFoundError('provider template', id);
    return template;
  }

  /**
   * The name, match script and properties of a provider created from template `id`: the name
   * defaults to the template's, every required property must be sent with a value, and the
   * properties the template marks secret are stored as secrets.
   */
  instantiate(
    id: string,
    sent: { name?: string; matchScript?: string; properties?: PropertyInput[] },
  ): TemplatedProvider {
    const template = this.byId.get(id);
    if (!template) {
      throw new ValidationFailedError(
        'template',
        `unknown template '${id}'; the templates are ${[...this.byId.keys()].join(', ')}`,
      );
    }
    if (sent.matchScript !== undefined) {
      throw new ValidationFailedError(
        'matchScript',
        `template '${id}' provides the match script: send either template or matchScript`,
      );
    }
    const properties = (sent.properties ?? []).map((property) => {
      const declared = template.properties.find((p) => p.name === property.name);
      return declared?.secret ? { ...property, secret: true } : property;
    });
    for (const required of template.properties.filter((p) => p.required)) {
      const i = properties.findIndex((p) => p.name === required.name);
      if (i < 0) {
        throw new ValidationFailedError(
          'properties',
          `template '${id}' needs property '${required.name}': ${required.description}`,
        );
      }
      if (properties[i].value === '') {
        throw new ValidationFailedError(
          `properties[${i}].value`,
          `property '${required.name}' needs a value: template '${id}' requires it`,
        );
      }
    }
    return { name: sent.name ?? template.name, matchScript: template.matchScript, properties };
  }
}
