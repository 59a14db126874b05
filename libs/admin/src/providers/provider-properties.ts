import type { ProviderProperty } from '@hookline/persistence';
import { ValidationFailedError } from '../errors/api-error';

/** What responses show instead of a secret value, and what a client sends back to keep it. */
export const SECRET_MASK = '****';

export interface PropertyInput {
  name: string;
  value: string;
  secret?: boolean;
}

export const maskSecrets = (properties: ProviderProperty[]): ProviderProperty[] =>
  properties.map((property) => (property.secret ? { ...property, value: SECRET_MASK } : property));

/**
 * The properties to store from those sent: names must be unique, and a secret sent as `"****"`
 * keeps the value stored under the same name, so a client can send back what it read.
 */
export function resolveProperties(sent: PropertyInput[], stored: ProviderProperty[] = []): ProviderProperty[] {
  const storedByName = new Map(stored.map((property) => [property.name, property]));
  const seen = new Set<string>();
  return sent.map(({ name, value, secret = false }, i) => {
    if (seen.has(name)) {
      throw new ValidationFailedError(`properties[${i}].name`, `property '${name}' is listed more than once`);
    }
    seen.add(name);
    if (!secret || value !== SECRET_MASK) return { name, value, secret };
    const kept = storedByName.get(name);
    if (!kept) {
      throw new ValidationFailedError(
        `properties[${i}].value`,
        `'${SECRET_MASK}' keeps the stored value of secret property '${name}', but none is stored; send the value itself`,
      );
    }
    return { name, value: kept.value, secret };
  });
}
