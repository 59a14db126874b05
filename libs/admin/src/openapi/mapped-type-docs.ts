import { DECORATORS } from '@nestjs/swagger';

/** The words of a field's documentation, as opposed to its type and limits. */
export interface FieldDoc {
  description?: string;
  /** `undefined` removes the default the mapped field came with. */
  default?: unknown;
  example?: unknown;
}

/**
 * Rewords fields that a mapped type (PartialType, OmitType…) took from another class, where the
 * words do not fit: a PATCH has no defaults, and `null` there means "clear it". Type, limits and
 * validation stay those of the original field.
 */
export const ApiFieldDocs =
  <T>(docs: { [K in keyof T]?: FieldDoc }): ClassDecorator =>
  (target) => {
    for (const [key, doc] of Object.entries(docs) as Array<[string, FieldDoc]>) {
      const current = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, target.prototype, key);
      if (!current) throw new Error(`${target.name}.${key} has no @ApiProperty to reword`);
      const reworded: Record<string, unknown> = { ...current, ...doc };
      for (const [name, value] of Object.entries(doc)) if (value === undefined) delete reworded[name];
      Reflect.defineMetadata(DECORATORS.API_MODEL_PROPERTIES, reworded, target.prototype, key);
    }
  };
