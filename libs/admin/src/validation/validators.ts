import { Transform } from 'class-transformer';
import { IsDefined, Matches, ValidateIf, ValidateBy, type ValidationOptions } from 'class-validator';
import { isScriptIdentifier } from '@hookline/scripting';

/** May be left out, but not sent as null (unlike class-validator's IsOptional). */
export const IsOmittable = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

/**
 * Must be sent, and not as null. An update DTO mapped from a create DTO (PartialType) keeps this
 * for null only, so the message says which of the two it is.
 */
export const IsRequired = (): PropertyDecorator =>
  IsDefined({ message: ({ value }) => (value === null ? '$property must not be null' : '$property is required') });

export const IsNotBlank = (options?: ValidationOptions): PropertyDecorator =>
  Matches(/\S/, { message: '$property must not be blank', ...options });

export const Trim = (): PropertyDecorator =>
  Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export const IsJsIdentifier = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isJsIdentifier',
      validator: {
        validate: (value) => typeof value === 'string' && isScriptIdentifier(value),
        defaultMessage: () =>
          '$property must be a JavaScript identifier of letters, digits, _ and $ (like apiKey or team_id), not a reserved word',
      },
    },
    options,
  );
