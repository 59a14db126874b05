/**
 * PostgreSQL's text and jsonb cannot hold U+0000, and a lone UTF-16 surrogate has no UTF-8 form.
 * Whatever a sender sends or a script produces is made storable the same way before it reaches
 * the database or a topic: each such code unit becomes U+FFFD (the replacement character). The raw
 * body is never touched: it is stored as bytes.
 */
export const REPLACEMENT = '\ufffd';

const NUL = /\u0000/g;

/** `text` with U+0000 and lone surrogates replaced by U+FFFD; the same string when there are none. */
export function storableText(text: string): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replace(NUL, REPLACEMENT) : wellFormed;
}

/**
 * A JSON-like value with every string in it (keys too) made storable; the same value, not a copy,
 * when nothing needed replacing.
 */
export function storable<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const cleaned = clean(item);
      if (cleaned !== item) (copy ??= [...value])[i] = cleaned;
    });
    return copy ?? value;
  }
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const cleanKey = storableText(key);
    const cleaned = clean(item);
    if (cleanKey !== key || cleaned !== item) {
      copy ??= { ...(value as Record<string, unknown>) };
      if (cleanKey !== key) delete copy[key];
      copy[cleanKey] = cleaned;
    }
  }
  return copy ?? value;
}
